import type { z } from 'zod';

/**
 * What the receipt printer can print, in one place for the screen, the core and the printer.
 *
 * The till prints with code page PC858 (`ESC t 19`): printable ASCII plus the 128 characters
 * below, which carry both `£` (0x9C) and `€` (0xD5). Text a person types (shop details, product
 * names, custom items, notes, ids, CSV rows) is refused where it is entered when it holds anything
 * else — an emoji, a control character, an invisible direction override — with a message naming
 * the character. Text the till did not type itself (Dojo's receipt lines, data saved before this
 * check) is printed with such a character replaced by {@link UNPRINTABLE_MARKER}, and the print
 * job says so: a receipt is never dropped over one character.
 */
export const PC858_HIGH_HALF =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×\u0192áíóúñÑªº¿®¬½¼¡«»\u2591\u2592\u2593\u2502\u2524ÁÂÀ©' +
  '\u2563\u2551\u2557\u255D¢¥\u2510\u2514\u2534\u252C\u251C\u2500\u253CãÃ\u255A\u2554\u2569\u2566' +
  '\u2560\u2550\u256C¤ðÐÊËÈ\u20ACÍÎÏ\u2518\u250C\u2588\u2584¦Ì\u2580ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00AD±' +
  '\u2017¾¶§÷¸°¨·¹³²\u25A0\u00A0';

/** Printed in place of a character the printer cannot print: PC858's black square (0xFE). */
export const UNPRINTABLE_MARKER = '\u25A0';

const highByte = new Map<string, number>([...PC858_HIGH_HALF].map((ch, i) => [ch, 0x80 + i]));

/** The PC858 byte for one character, or null when the code page has no such character. */
export function pc858Byte(ch: string): number | null {
  const code = ch.codePointAt(0) ?? 0;
  if (ch.length === 1 && code >= 0x20 && code < 0x7f) return code;
  return highByte.get(ch) ?? null;
}

/** Direction overrides and marks: invisible, and able to make a line read differently. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** `"☕" (U+2615)`, or for an invisible character what it is. */
export function describeCharacter(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const cp = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return `a control character (${cp})`;
  if (BIDI.test(ch)) return `an invisible text-direction character (${cp})`;
  if (/^\p{Cf}$/u.test(ch) || /^\p{Z}$/u.test(ch))
    return `an invisible formatting character (${cp})`;
  return `"${ch}" (${cp})`;
}

/** Characters of `text` (after NFC, so a decomposed é counts as é) the printer cannot print. */
export function unprintableCharacters(text: string, opts: { multiline?: boolean } = {}): string[] {
  const bad = new Set<string>();
  for (const ch of text.normalize('NFC')) {
    if (opts.multiline && (ch === '\n' || ch === '\r')) continue;
    if (pc858Byte(ch) === null) bad.add(ch);
  }
  return [...bad];
}

/**
 * Why `text` cannot be saved, in plain words naming the character(s), or null when every
 * character prints. `label` is what the person calls the field ("Shop name").
 */
export function printableTextProblem(
  text: string,
  label: string,
  opts: { multiline?: boolean } = {},
): string | null {
  const bad = unprintableCharacters(text, opts);
  if (bad.length === 0) return null;
  const named = bad.slice(0, 3).map(describeCharacter).join(', ');
  const more = bad.length > 3 ? ` and ${bad.length - 3} more` : '';
  return (
    `${label} contains ${named}${more}, which the receipt printer cannot print. ` +
    `Remove ${bad.length === 1 ? 'it' : 'them'} or use ordinary letters.`
  );
}

/** A zod string check for free text: refuses what the printer cannot print, naming it. */
export function printableText<S extends z.ZodType<string>>(
  schema: S,
  label: string,
  opts: { multiline?: boolean } = {},
) {
  return schema.superRefine((value, ctx) => {
    const problem = printableTextProblem(value, label, opts);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/**
 * Text ready for the printer: NFC, every character it cannot print replaced by the marker (a
 * line break stays a line break). `replaced` lists what was replaced, for the operator.
 */
export function replaceUnprintable(text: string): { text: string; replaced: string[] } {
  const replaced = new Set<string>();
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (ch === '\n' || pc858Byte(ch) !== null) out += ch;
    else if (ch === '\r') continue;
    else {
      replaced.add(ch);
      out += UNPRINTABLE_MARKER;
    }
  }
  return { text: out, replaced: [...replaced] };
}

/** What the journal and the screen say about a receipt printed with markers, or null. */
export function replacedNotice(replaced: readonly string[] | undefined): string | null {
  if (!replaced || replaced.length === 0) return null;
  const named = replaced.slice(0, 3).map(describeCharacter).join(', ');
  const more = replaced.length > 3 ? ` and ${replaced.length - 3} more` : '';
  return `Printed with "${UNPRINTABLE_MARKER}" in place of ${named}${more}, which the receipt printer cannot print.`;
}
