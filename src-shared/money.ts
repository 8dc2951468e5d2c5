import { z } from 'zod';

export const currencyCodes = ['GBP', 'EUR'] as const;
export const currencyCodeSchema = z.enum(currencyCodes);
export type CurrencyCode = z.infer<typeof currencyCodeSchema>;

/** Largest amount the till accepts in one go: £/€ 100,000.00. Anything above is a typo. */
export const MAX_AMOUNT_MINOR = 10_000_000;

const TOO_LARGE = `Amount is too large: one transaction is at most ${(MAX_AMOUNT_MINOR / 100).toLocaleString('en-GB')}.00`;

export const minorUnitsSchema = z
  .number({ error: 'Amount must be a number of pence/cents' })
  .int('Amount must be a whole number of pence/cents')
  .min(0, 'Amount cannot be negative')
  .max(MAX_AMOUNT_MINOR, TOO_LARGE);

export const positiveMinorUnitsSchema = minorUnitsSchema.refine(
  (v) => v > 0,
  'Amount must be more than zero',
);

/** Money exactly as Dojo carries it: integer minor units plus an ISO currency code. */
export const moneySchema = z.object({ value: minorUnitsSchema, currencyCode: currencyCodeSchema });
export type Money = z.infer<typeof moneySchema>;

const symbols: Record<CurrencyCode, string> = { GBP: '£', EUR: '€' };

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

/**
 * Parses what a cashier types ("12", "12.5", "12.50", "£12.50") into minor units.
 * Returns an error message instead of guessing.
 */
export function parseMajorUnits(
  input: string,
): { ok: true; minor: number } | { ok: false; message: string } {
  const text = input.trim().replace(/^[£€]/, '').replace(/,/g, '');
  if (text === '') return { ok: false, message: 'Enter an amount' };
  if (text.startsWith('-')) return { ok: false, message: 'Amount cannot be negative' };
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return { ok: false, message: 'Amount must be pounds and pence, like 4.50' };
  const pounds = Number(match[1]);
  const pence = Number((match[2] ?? '').padEnd(2, '0'));
  const minor = pounds * 100 + pence;
  if (minor > MAX_AMOUNT_MINOR) return { ok: false, message: TOO_LARGE };
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
