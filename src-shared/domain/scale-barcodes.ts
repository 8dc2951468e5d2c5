import { z } from 'zod';
import { isValidBarcode } from './catalogue';

/**
 * Weighed and price-embedded EAN-13 labels, as printed by a shop's scale (GS1 "restricted
 * circulation" numbers, prefixes 20–29): `PP IIIII VVVVV C`
 *
 * - `PP`     a prefix the shop has set up, saying what the value is (weight or price);
 * - `IIIII`  the item code: the product's PLU in the catalogue;
 * - `VVVVV`  the weight in grams (00245 = 245 g) or the price in minor units (01234 = 12.34);
 * - `C`      the EAN-13 check digit over the 12 digits before it.
 *
 * The price of a weighed line is grams × price per kg / 1000, rounded half up to a whole minor
 * unit (`weighedPrice`): 245 g at 18.00/kg = 4.41; 333 g at 1.99/kg = 0.66267 → 0.66.
 */
export type ScaleBarcodeKind = 'weight' | 'price';
export type ScaleBarcodeRule = { prefix: string; kind: ScaleBarcodeKind };

export const scaleBarcodeRulesSchema = z
  .array(
    z
      .object({
        prefix: z
          .string()
          .regex(/^2\d$/, 'A scale-label prefix is two digits from 20 to 29 (in-store numbers)'),
        kind: z.enum(['weight', 'price'], 'A scale label carries a weight or a price'),
      })
      .strict(),
  )
  .max(10)
  .refine((rules) => new Set(rules.map((r) => r.prefix)).size === rules.length, {
    message: 'Each scale-label prefix can be used once',
  });

export const defaultScaleBarcodeRules: ScaleBarcodeRule[] = [
  { prefix: '21', kind: 'weight' },
  { prefix: '22', kind: 'price' },
];

export type DecodedScaleBarcode =
  | { ok: true; kind: 'weight'; plu: string; grams: number; code: string }
  | { ok: true; kind: 'price'; plu: string; priceMinor: number; code: string }
  | { ok: false; reason: string };

/** Could this be a scale label at all (13 digits from the 2x range)? Other codes are not tried. */
export const looksLikeScaleBarcode = (code: string): boolean => /^2\d{12}$/.test(code);

export function decodeScaleBarcode(
  code: string,
  rules: readonly ScaleBarcodeRule[],
): DecodedScaleBarcode {
  if (!looksLikeScaleBarcode(code))
    return {
      ok: false,
      reason: `Barcode ${code} is not a scale label (13 digits starting with 2)`,
    };
  if (!isValidBarcode(code))
    return {
      ok: false,
      reason: `Barcode ${code} has a wrong check digit (last digit): scan the label again`,
    };
  const prefix = code.slice(0, 2);
  const rule = rules.find((r) => r.prefix === prefix);
  if (!rule) {
    const known = rules.map((r) => `${r.prefix} ${r.kind}`).join(', ') || 'none set up';
    return {
      ok: false,
      reason: `Barcode ${code} starts with ${prefix}, which is not a scale-label prefix of this shop (${known})`,
    };
  }
  const plu = code.slice(2, 7);
  const value = Number(code.slice(7, 12));
  if (value === 0)
    return {
      ok: false,
      reason:
        rule.kind === 'weight'
          ? `The scale label ${code} shows a weight of 0 g: weigh the item again`
          : `The scale label ${code} shows a price of 0: print the label again`,
    };
  return rule.kind === 'weight'
    ? { ok: true, kind: 'weight', plu, grams: value, code }
    : { ok: true, kind: 'price', plu, priceMinor: value, code };
}

/** grams × price per kg / 1000, half up, in whole minor units. */
export function weighedPrice(grams: number, pricePerKgMinor: number): number {
  return Math.floor((grams * pricePerKgMinor * 2 + 1000) / 2000);
}

/** Builds a label with its check digit (tests, the sample data and the docs use it). */
export function scaleBarcode(prefix: string, plu: string, value: number): string {
  const body = `${prefix}${plu}${String(value).padStart(5, '0')}`;
  const digits = [...body].map(Number).reverse();
  const sum = digits.reduce((s, d, i) => s + d * (i % 2 === 0 ? 3 : 1), 0);
  return body + String((10 - (sum % 10)) % 10);
}

/** "0.245 kg" */
export const formatKg = (grams: number): string => `${(grams / 1000).toFixed(3)} kg`;
