import {
  pc858Byte,
  replaceUnprintable,
  unprintableCharacters,
} from '../../src-shared/domain/printable-text';
import type { DojoLine, ReceiptBlock, ReceiptDocument } from '../../src-shared/domain/receipt';

/**
 * The one code page the till prints with: PC858 carries both `£` (0x9C) and `€` (0xD5). Its
 * repertoire lives in `src-shared/domain/printable-text.ts`, so the screens and the core refuse
 * at input exactly what the printer could not print. node-thermal-printer never sees a character
 * outside it (that library would print `?` or silently switch code page mid-receipt).
 */
export const CODE_PAGE = 'CP858';

export { pc858Byte, unprintableCharacters as unrepresentable };

/**
 * The document as the printer will print it: every character PC858 lacks (from Dojo's receipt
 * lines, or text saved before input was checked) replaced by the visible marker, and the
 * replaced characters listed on the document so the journal and the screen can say so.
 */
export function printableDocument(doc: ReceiptDocument): ReceiptDocument {
  const replaced = new Set<string>(doc.replaced ?? []);
  const fix = (text: string): string => {
    const r = replaceUnprintable(text);
    for (const ch of r.replaced) replaced.add(ch);
    return r.text;
  };
  const fixLine = (l: DojoLine): DojoLine => {
    if (l.kind === 'text') return { ...l, text: fix(l.text) };
    if (l.kind === 'unknown')
      return { ...l, lineType: fix(l.lineType), text: l.text === null ? null : fix(l.text) };
    return l;
  };
  const blocks = doc.blocks.map((b): ReceiptBlock => {
    switch (b.type) {
      case 'text':
        return { ...b, text: fix(b.text) };
      case 'columns':
        return { ...b, left: fix(b.left), right: fix(b.right) };
      case 'dojo':
        return { ...b, lines: b.lines.map(fixLine) };
      case 'qr':
        return { ...b, caption: b.caption === null ? null : fix(b.caption) };
      case 'cut':
      case 'drawer':
      case 'feed':
      case 'logo':
      case 'separator':
        return b;
    }
  });
  return replaced.size ? { ...doc, blocks, replaced: [...replaced] } : { ...doc, blocks };
}
