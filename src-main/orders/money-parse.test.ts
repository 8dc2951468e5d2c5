import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_MINOR, minorUnitsSchema, parseMajorUnits } from '../../src-shared/money';

describe('parseMajorUnits: one rule for every amount typed or imported', () => {
  it.each([
    ['12', 1200],
    ['12.5', 1250],
    ['12.50', 1250],
    ['12,50', 1250],
    ['12,5', 1250],
    ['£12,50', 1250],
    ['€ 3.20', 320],
    ['  4.50  ', 450],
    ['0.01', 1],
    ['.50', 50],
    ['0', 0],
    ['1,250.00', 125000],
    ['1.250,00', 125000],
    ['12.345,67', 1234567],
    ['12,345.6', 1234560],
    ['99,999.99', 9999999],
    ['100000', 10_000_000],
    ['100,000.00', 10_000_000],
    ['100.000,00', 10_000_000],
    ['00012.30', 1230],
  ])('%s → %i pence', (text, minor) => {
    const parsed = parseMajorUnits(text);
    expect(parsed).toEqual({ ok: true, minor });
  });

  it.each([
    ['', 'Enter an amount'],
    ['   ', 'Enter an amount'],
    ['-5', 'cannot be negative'],
    ['abc', 'pounds and pence'],
    ['12p', 'pounds and pence'],
    ['1 250', 'pounds and pence'],
    ['1,2,3', 'not a clear amount'],
    ['1.2.3', 'not a clear amount'],
    ['1,25.00', 'not a clear amount'],
    ['1.250.00', 'not a clear amount'],
    ['1,250,00', 'not a clear amount'],
    ['1,250', 'is unclear'],
    ['1.250', 'is unclear'],
    ['12.', 'pounds and pence'],
    ['12,', 'pounds and pence'],
    [',', 'pounds and pence'],
    ['12.5.0,00', 'not a clear amount'],
    ['1,250.00.00', 'not a clear amount'],
    ['12.3456', 'at most two digits'],
    ['1,250,000', 'too large'],
    ['1.000.000', 'too large'],
    ['12.34567', 'at most two digits'],
    ['99999999.99', 'too large'],
    ['100000.01', 'too large'],
    ['123456789012345678901234567890', 'too large'],
  ])('refuses %j with a plain message', (text, words) => {
    const parsed = parseMajorUnits(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(words);
  });

  it('names the limit when an amount is too large', () => {
    const parsed = parseMajorUnits('99999999.99');
    expect(parsed).toEqual({
      ok: false,
      message: 'Amount is too large: the most the till takes in one amount is 100,000.00',
    });
    const viaCore = minorUnitsSchema.safeParse(MAX_AMOUNT_MINOR + 1);
    expect(viaCore.success).toBe(false);
    expect(viaCore.error?.issues[0]?.message).toContain('100,000.00');
  });

  it("words its refusals in the till's currency: a euro till says euros and cents", () => {
    expect(parseMajorUnits('3.4x', 'EUR')).toEqual({
      ok: false,
      message: 'Amount must be euros and cents, like 4.50',
    });
    expect(parseMajorUnits('1.234', 'EUR')).toMatchObject({
      ok: false,
      message: expect.stringContaining('or euros and cents?') as unknown,
    });
    expect(parseMajorUnits('3.4x')).toEqual({
      ok: false,
      message: 'Amount must be pounds and pence, like 4.50',
    });
  });
});
