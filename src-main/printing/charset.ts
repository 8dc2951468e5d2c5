import iconv from 'iconv-lite';
import { TillError } from '../../src-shared/errors';

/**
 * The one code page the till prints with: PC858 carries both `£` (0x9C) and `€` (0xD5). Text it
 * cannot carry is refused here, before node-thermal-printer sees it, because that library would
 * otherwise print `?` or silently switch code page mid-receipt.
 */
export const CODE_PAGE = 'CP858';

const cache = new Map<string, number | null>();

/** The PC858 byte for one character, or null when the code page has no such character. */
export function pc858Byte(ch: string): number | null {
  const code = ch.codePointAt(0) ?? 0;
  if (code >= 0x20 && code < 0x7f) return code;
  if (code < 0x20 || code === 0x7f || ch.length !== 1) return null;
  const hit = cache.get(ch);
  if (hit !== undefined) return hit;
  const bytes = iconv.encode(ch, CODE_PAGE);
  const byte =
    bytes.length === 1 && bytes[0] !== 0x3f && bytes[0] !== undefined && bytes[0] >= 0x80
      ? bytes[0]
      : null;
  cache.set(ch, byte);
  return byte;
}

/** Characters of `text` that PC858 cannot print (after NFC, so a decomposed é still counts as é). */
export function unrepresentable(text: string): string[] {
  const bad = new Set<string>();
  for (const ch of text.normalize('NFC')) if (pc858Byte(ch) === null) bad.add(ch);
  return [...bad];
}

const describe = (ch: string): string => {
  const code = ch.codePointAt(0) ?? 0;
  const cp = code.toString(16).toUpperCase().padStart(4, '0');
  return code < 0x20 || code === 0x7f ? `a control character (U+${cp})` : `"${ch}" (U+${cp})`;
};

export function assertRepresentable(text: string, where: string): string {
  const normal = text.normalize('NFC');
  const bad = unrepresentable(normal);
  if (bad.length) {
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must not reach the message
    const visible = where.replace(/[\u0000-\u001f\u007f]/g, ' ');
    const context = visible.length > 40 ? visible.slice(0, 37) + '...' : visible;
    throw new TillError(
      'PRINT_UNREPRESENTABLE',
      `The receipt line "${context}" contains ${bad.slice(0, 3).map(describe).join(', ')}, which the receipt printer cannot print ` +
        `(character set PC858). Change that text and print again; nothing was printed.`,
    );
  }
  return normal;
}

export function decodePc858(byte: number): string {
  return byte < 0x80 ? String.fromCharCode(byte) : iconv.decode(Buffer.from([byte]), CODE_PAGE);
}
