import type { CurrencyCode } from '../money';

/**
 * Cash rounding (docs/staff-and-cash.md "Cash rounding"): a euro till in a country without 1 and 2
 * cent coins in daily use (the Netherlands, Belgium, Ireland, Finland…) may round the cash it takes
 * to the nearest 5 cents. Cards are never rounded; a pound till never rounds.
 */
export const cashRoundings = ['none', '0.05'] as const;
export type CashRounding = (typeof cashRoundings)[number];

/** The words the Settings screen and the refusals use for each choice. */
export const cashRoundingLabels: Record<CashRounding, string> = {
  none: 'None (cash to the cent)',
  '0.05': 'To the nearest 0.05',
};

/** Why a till with this currency may not use this rounding, in plain words; null when it may. */
export function cashRoundingProblem(currency: CurrencyCode, rounding: CashRounding): string | null {
  if (rounding === 'none' || currency === 'EUR') return null;
  return 'Cash rounding to 0.05 is for euro tills: a pound (GBP) till takes cash to the penny. Set Cash rounding to None.';
}

/** The step cash is rounded to, in minor units (0 = no rounding). */
export function cashRoundingStep(currency: CurrencyCode, rounding: CashRounding): number {
  return rounding === '0.05' && currency === 'EUR' ? 5 : 0;
}

/**
 * What the customer pays in cash for `partMinor` of an order with `remainingMinor` left, and the
 * rounding (due − part, from −2 to +2 cents with a 5-cent step: 1, 2 go down; 3, 4 go up). Only the
 * cash that settles the order is rounded (the whole remainder); a part payment is taken exactly.
 */
export function cashDue(
  partMinor: number,
  remainingMinor: number,
  step: number,
): { dueMinor: number; roundingMinor: number } {
  if (step <= 0 || partMinor !== remainingMinor) return { dueMinor: partMinor, roundingMinor: 0 };
  const dueMinor = Math.round(partMinor / step) * step;
  return { dueMinor, roundingMinor: dueMinor - partMinor };
}
