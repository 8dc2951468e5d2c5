import { describe, expect, it } from 'vitest';
import { block, type ReceiptDocument } from '../../src-shared/domain/receipt';
import { laidOutText, layoutDocument, wrapWords } from '../../src-shared/domain/receipt-layout';
import iconv from 'iconv-lite';
import { CODE_PAGE, pc858Byte, printableDocument, unrepresentable } from './charset';
import { parseDojoReceipt } from './dojo-receipt';

const doc = (blocks: ReceiptDocument['blocks']): ReceiptDocument => ({
  version: 1,
  kind: 'test',
  title: 't',
  reference: null,
  createdAt: '',
  blocks,
});

describe('receipt layout', () => {
  it('wraps words, keeps indentation, cuts words longer than the line', () => {
    expect(wrapWords('  2 x £3.20', 32)).toEqual(['  2 x £3.20']);
    expect(wrapWords('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapWords('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('puts columns on one line when they fit, the amount on its own line when not', () => {
    expect(laidOutText(layoutDocument(doc([block.columns('Tea', '£2.50')]), 32), 32)).toBe(
      'Tea' + ' '.repeat(24) + '£2.50',
    );
    const lines = layoutDocument(
      doc([block.columns('Sourdough loaf (to take away)', '£4.00')]),
      32,
    );
    expect(lines.map((l) => (l.type === 'text' ? l.text : ''))).toEqual([
      'Sourdough loaf (to take away)',
      ' '.repeat(27) + '£4.00',
    ]);
  });

  it('falls back from double width to double height when text would not fit', () => {
    const [small] = layoutDocument(doc([block.text('Short', { size: 'large' })]), 32);
    const [wide] = layoutDocument(
      doc([block.text('A much longer shop name', { size: 'large' })]),
      32,
    );
    expect(small).toMatchObject({ size: 'large' });
    expect(wide).toMatchObject({ size: 'tall' });
  });
});

describe('PC858 character check', () => {
  it('carries £ and € and accented Latin, refuses the rest and control characters', () => {
    expect(pc858Byte('£')).toBe(0x9c);
    expect(pc858Byte('€')).toBe(0xd5);
    expect(unrepresentable('Café crème £ €')).toEqual([]);
    expect(unrepresentable('Cafe\u0301')).toEqual([]); // decomposed é
    expect(unrepresentable('寿司 🍣')).toEqual(['寿', '司', '🍣']);
    expect(unrepresentable('Tea\x1b@ \u202Eevil')).toEqual(['\x1b', '\u202E']);
  });

  it('the shared table is exactly the code page the printer is told to use', () => {
    for (let byte = 0x20; byte < 0x100; byte++) {
      if (byte === 0x7f) continue;
      const ch = iconv.decode(Buffer.from([byte]), CODE_PAGE);
      expect(pc858Byte(ch), `byte 0x${byte.toString(16)}`).toBe(byte);
    }
  });

  it('a document with characters the printer lacks prints them as the marker and lists them', () => {
    const d = printableDocument(
      doc([
        block.text('OpenTill Café ☕'),
        block.columns('Tea 🍵', '£2.50'),
        block.dojo('customer', [
          { kind: 'text', text: 'Ørsted “quote”', align: 'left', bold: false, size: 'normal' },
        ]),
      ]),
    );
    expect(laidOutText(layoutDocument(d, 32), 32)).toContain('OpenTill Café ■');
    expect(laidOutText(layoutDocument(d, 32), 32)).toContain('Ørsted ■quote■');
    expect(d.replaced).toEqual(['☕', '🍵', '“', '”']);
    expect(printableDocument(doc([block.text('Plain £ €')])).replaced).toBeUndefined();
  });
});

describe('Dojo receipt lines', () => {
  it('accepts lines, customerReceipt, merchantReceipt and receipt wrappers, and both separator spellings', () => {
    const lines = [{ lineType: 'SingleLineSeperator' }, { lineType: 'DoubleLineSeparator' }];
    for (const stored of [
      { lines },
      { customerReceipt: { lines } },
      { merchantReceipt: { lines } },
      { receipt: { lines } },
    ]) {
      expect(parseDojoReceipt(JSON.stringify(stored))).toEqual([
        { kind: 'separator', style: 'single' },
        { kind: 'separator', style: 'double' },
      ]);
    }
  });

  it('keeps unknown line types and bad JSON visible instead of failing', () => {
    expect(
      parseDojoReceipt(
        JSON.stringify({ lines: [{ lineType: 'Barcode', text: { value: '123' } }, 'odd'] }),
      ),
    ).toEqual([
      { kind: 'unknown', lineType: 'Barcode', text: '123' },
      { kind: 'unknown', lineType: 'string', text: 'odd' },
    ]);
    expect(parseDojoReceipt('{not json')?.[0]).toMatchObject({ kind: 'unknown' });
    expect(parseDojoReceipt(null)).toBeNull();
  });
});
