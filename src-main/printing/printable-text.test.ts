import { describe, expect, it } from 'vitest';
import {
  printableTextProblem,
  replacedNotice,
  replaceUnprintable,
  unprintableCharacters,
} from '../../src-shared/domain/printable-text';

describe('printable text (PC858, the receipt printer)', () => {
  it('names the character and what it is, in plain words', () => {
    expect(printableTextProblem('Café ☕', 'Shop name')).toBe(
      'Shop name contains "☕" (U+2615), which the receipt printer cannot print. Remove it or use ordinary letters.',
    );
    expect(printableTextProblem('a\u202Eb\u0007c', 'The note')).toMatch(
      /^The note contains an invisible text-direction character \(U\+202E\), a control character \(U\+0007\), which/,
    );
    expect(printableTextProblem('zero\u200Bwidth', 'x')).toMatch(
      /an invisible formatting character \(U\+200B\)/,
    );
    expect(printableTextProblem('🍣🍱🍙🍘', 'x')).toMatch(/and 1 more, which .* Remove them/);
    expect(printableTextProblem('Crème brûlée £3 €4 ½', 'x')).toBeNull();
    expect(printableTextProblem('Cafe\u0301', 'x')).toBeNull(); // decomposed é is é
  });

  it('line breaks only where the field has lines', () => {
    expect(unprintableCharacters('1 High St\nBristol')).toEqual(['\n']);
    expect(unprintableCharacters('1 High St\r\nBristol', { multiline: true })).toEqual([]);
  });

  it('replaces what cannot print by the marker, keeping line breaks, and says what it did', () => {
    expect(replaceUnprintable('Tea 🍵\nthanks “you”')).toEqual({
      text: 'Tea ■\nthanks ■you■',
      replaced: ['🍵', '“', '”'],
    });
    expect(replacedNotice(['🍵'])).toBe(
      'Printed with "■" in place of "🍵" (U+1F375), which the receipt printer cannot print.',
    );
    expect(replacedNotice([])).toBeNull();
  });
});
