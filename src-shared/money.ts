import { z } from 'zod';

export const currencyCodes = ['GBP', 'EUR'] as const;
export const currencyCodeSchema = z.enum(currencyCodes);
export type CurrencyCode = z.infer<typeof currencyCodeSchema>;

/** Largest amount the till accepts in one go: £/€ 100,000.00. Anything above is a typo. */
export const MAX_AMOUNT_MINOR = 10_000_000;
/** The limit in words, for messages: "100,000.00". */
export const MAX_AMOUNT_TEXT = `${Math.trunc(MAX_AMOUNT_MINOR / 100).toLocaleString('en-GB')}.${String(MAX_AMOUNT_MINOR % 100).padStart(2, '0')}`;

export const minorUnitsSchema = z
  .number({ error: 'Amount must be a number of pence/cents' })
  .int('Amount must be a whole number of pence/cents')
  .min(0, 'Amount cannot be negative')
  .max(
    MAX_AMOUNT_MINOR,
    `Amount is too large for one transaction (the most is ${MAX_AMOUNT_TEXT})`,
  );

export const positiveMinorUnitsSchema = minorUnitsSchema.refine(
  (v) => v > 0,
  'Amount must be more than zero',
);

/** Money exactly as Dojo carries it: integer minor units plus an ISO currency code. */
export const moneySchema = z.object({ value: minorUnitsSchema, currencyCode: currencyCodeSchema });
export type Money = z.infer<typeof moneySchema>;

const symbols: Record<CurrencyCode, string> = { GBP: '£', EUR: '€' };

/** The sign amount labels and inputs show: £ or €. */
export function currencySymbol(currency: CurrencyCode): string {
  return symbols[currency];
}

/** 1234 → "£12.34"; -50 → "-£0.50". Integer arithmetic only. */
export function formatMoney(minor: number, currency: CurrencyCode = 'GBP'): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const major = Math.trunc(abs / 100);
  const pence = String(abs % 100).padStart(2, '0');
  return `${sign}${symbols[currency]}${major.toLocaleString('en-GB')}.${pence}`;
}

export const AMOUNT_TOO_LARGE = `Amount is too large: the most the till takes in one amount is ${MAX_AMOUNT_TEXT}`;

type ParsedAmount = { ok: true; minor: number } | { ok: false; message: string };

const refuse = (message: string): ParsedAmount => ({ ok: false, message });

/** "1,250,000" with `,` as the group mark: first group 1–3 digits, every later group exactly 3. */
function wellGrouped(whole: string, mark: ',' | '.'): boolean {
  const groups = whole.split(mark);
  return (
    groups.length > 1 &&
    /^\d{1,3}$/.test(groups[0] ?? '') &&
    groups.slice(1).every((g) => /^\d{3}$/.test(g))
  );
}

/**
 * The one parser for money typed by a person or read from a file (the screen, the core and the
 * CSV import all use it). Returns minor units, or a plain message instead of guessing.
 *
 * The rule, in full:
 * - An optional £ or € in front; spaces around are ignored. Digits only otherwise.
 * - The decimal separator is a point or a comma, followed by one or two digits:
 *   `12.50`, `12.5`, `12,50` and `12,5` are all £12.50.
 * - Thousands separators are accepted only when well formed and when the other mark is the
 *   decimal separator, or there are two or more of them: `1,250.00`, `1.250,00`, `1,250,000`,
 *   `1.250.000`. Groups after the first have exactly three digits.
 * - Anything that could be read two ways is refused, never guessed: `1,250` and `1.250` (one
 *   mark followed by three digits: a thousand or one pound twenty-five?), `1,2,3`, `1,25.00`,
 *   three or more digits after the decimal separator, spaces inside the number.
 * - More than MAX_AMOUNT_MINOR is refused as "too large", naming the limit.
 */
export function parseMajorUnits(input: string, currency: CurrencyCode = 'GBP'): ParsedAmount {
  // The words follow the till's currency: a euro till says euros and cents.
  const units = currency === 'EUR' ? 'euros and cents' : 'pounds and pence';
  const minorWord = currency === 'EUR' ? 'cents' : 'pence';
  const text = input.trim().replace(/^[£€]\s*/, '');
  if (text === '') return refuse('Enter an amount');
  if (text.startsWith('-')) return refuse('Amount cannot be negative');
  if (!/^[\d.,]+$/.test(text)) return refuse(`Amount must be ${units}, like 4.50`);
  if (!/\d/.test(text)) return refuse(`Amount must be ${units}, like 4.50`);

  const lastPoint = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let whole: string;
  let fraction = '';
  if (lastPoint >= 0 && lastComma >= 0) {
    // Both marks: the later one is the decimal separator, the other groups thousands.
    const decimal = lastPoint > lastComma ? '.' : ',';
    const group = decimal === '.' ? ',' : '.';
    const at = text.lastIndexOf(decimal);
    whole = text.slice(0, at);
    fraction = text.slice(at + 1);
    if (text.indexOf(decimal) !== at || !wellGrouped(whole, group))
      return refuse(`"${input.trim()}" is not a clear amount: write it like 1250.00 or 1,250.00`);
    whole = whole.split(group).join('');
  } else if (lastPoint >= 0 || lastComma >= 0) {
    const mark = lastPoint >= 0 ? '.' : ',';
    const parts = text.split(mark);
    if (parts.length === 2) {
      const [w = '', f = ''] = parts;
      if (f.length === 3)
        return refuse(
          `"${input.trim()}" is unclear (a thousand or more, or ${units}?): type ${w}${f}.00 for the thousands, or the ${minorWord} with two digits like 4.50`,
        );
      whole = w;
      fraction = f;
    } else if (wellGrouped(text, mark)) {
      whole = parts.join('');
    } else {
      return refuse(`"${input.trim()}" is not a clear amount: write it like 1250.00 or 12.50`);
    }
  } else {
    whole = text;
  }
  if (whole === '' && fraction !== '') whole = '0'; // ".50" is 50p
  if (whole === '' || !/^\d+$/.test(whole)) return refuse(`Amount must be ${units}, like 4.50`);
  if (fraction === '' && (lastPoint === text.length - 1 || lastComma === text.length - 1))
    return refuse(`Amount must be ${units}, like 4.50`);
  if (!/^\d{0,2}$/.test(fraction))
    return refuse(`An amount has at most two digits for the ${minorWord}, like 4.50`);
  const digits = whole.replace(/^0+(?=\d)/, '');
  // Compare lengths first so a long string of digits never becomes an imprecise float.
  if (digits.length > String(Math.trunc(MAX_AMOUNT_MINOR / 100)).length)
    return refuse(AMOUNT_TOO_LARGE);
  const minor = Number(digits) * 100 + Number(fraction.padEnd(2, '0'));
  if (minor > MAX_AMOUNT_MINOR) return refuse(AMOUNT_TOO_LARGE);
  return { ok: true, minor };
}

/**
 * VAT contained in a VAT-inclusive gross amount, rounded half-up to the penny.
 * rateBasisPoints: 2000 = 20 %.
 */
export function vatFromGross(grossMinor: number, rateBasisPoints: number): number {
  if (rateBasisPoints === 0) return 0;
  const numerator = grossMinor * rateBasisPoints;
  const denominator = 10_000 + rateBasisPoints;
  return (
    Math.sign(numerator) * Math.floor((Math.abs(numerator) * 2 + denominator) / (2 * denominator))
  );
}
