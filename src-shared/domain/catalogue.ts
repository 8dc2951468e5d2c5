import { z } from 'zod';
import { minorUnitsSchema } from '../money';
import { printableText } from './printable-text';

/** The UK set a new till starts with; the shop's own list is a setting (VAT rates in Settings). */
export const defaultVatRates: readonly VatRate[] = [
  { rateBp: 2000, name: 'Standard' },
  { rateBp: 500, name: 'Reduced' },
  { rateBp: 0, name: 'Zero' },
];
export type VatRateBp = number;

/** A VAT rate in basis points (2000 = 20 %); the core also checks it is one of the shop's rates. */
export const vatRateSchema = z
  .number({ error: 'A VAT rate must be a number (basis points: 2000 = 20 %)' })
  .int('A VAT rate is in basis points (2000 = 20 %, 1350 = 13.5 %)')
  .min(0, 'A VAT rate cannot be negative')
  .max(10_000, 'A VAT rate cannot be more than 100 %');

export type VatRate = { rateBp: number; name: string };

const vatNameSchema = printableText(
  z
    .string()
    .trim()
    .min(1, 'A VAT rate needs a name')
    .max(40, 'A VAT rate name has at most 40 characters'),
  'The VAT rate name',
);
export const vatRatesObjectSchema = z
  .object({
    rates: z
      .array(z.object({ rateBp: vatRateSchema, name: vatNameSchema }).strict())
      .min(1, 'A shop needs at least one VAT rate')
      .max(20, 'A shop has at most 20 VAT rates'),
  })
  .strict();
export const vatRatesInputSchema = vatRatesObjectSchema.superRefine(checkVatRates);
export function checkVatRates(v: { rates: VatRate[] }, ctx: z.RefinementCtx): void {
  {
    const bps = new Set<number>();
    const names = new Set<string>();
    for (const r of v.rates) {
      if (bps.has(r.rateBp))
        ctx.addIssue({ code: 'custom', message: `The rate ${r.rateBp / 100} % is listed twice` });
      if (names.has(r.name.toLowerCase()))
        ctx.addIssue({ code: 'custom', message: `The name ${r.name} is used by two rates` });
      bps.add(r.rateBp);
      names.add(r.name.toLowerCase());
    }
  }
}

/** "Standard 20 %" — the rate as the cashier and the receipt name it. */
export function vatRateLabel(rateBp: number, rates: readonly VatRate[]): string {
  const pct = `${rateBp / 100} %`;
  const named = rates.find((r) => r.rateBp === rateBp);
  return named ? `${named.name} ${pct}` : `VAT ${pct}`;
}

export type ProductVariant = {
  id: string;
  name: string;
  priceMinor: number;
  barcode: string | null;
  sku: string | null;
  active: boolean;
};

export type Modifier = {
  id: string;
  name: string;
  priceMinor: number;
  /** Null: the modifier is taxed like the line it is on (the product's rate, eat-in or not). */
  vatRateBp: number | null;
  active: boolean;
};

export type ModifierGroup = {
  id: string;
  name: string;
  /** 0 = optional; 1 or more = required (the cashier must choose at least this many). */
  minChoices: number;
  maxChoices: number;
  modifiers: Modifier[];
};

export type SoldBy = 'unit' | 'weight';

export type Product = {
  id: string;
  name: string;
  category: string;
  /** VAT-inclusive unit price in minor units (per kg when sold by weight). */
  priceMinor: number;
  vatRateBp: VatRateBp;
  /** The rate when eaten in (UK hot food and drink), or null: the same as take-away. */
  eatInVatRateBp: number | null;
  soldBy: SoldBy;
  /** The 5-digit item code a scale prints in its weighed or price-embedded labels. */
  plu: string | null;
  sku: string | null;
  barcode: string | null;
  shortcut: string | null;
  sortOrder: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  /** Active variants, in order; empty for a product sold as it is. */
  variants: ProductVariant[];
  /** The modifier groups offered with this product, in order. */
  modifierGroups: ModifierGroup[];
};

/**
 * GS1 check digit for EAN-8, UPC-A (12) and EAN-13: weights 3,1,3,… from the digit left of the
 * check digit, so one routine covers all three lengths.
 */
export function isValidBarcode(code: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13})$/.test(code)) return false;
  const digits = [...code].map(Number);
  const check = digits.pop() as number;
  let sum = 0;
  digits.reverse().forEach((d, i) => (sum += d * (i % 2 === 0 ? 3 : 1)));
  return (10 - (sum % 10)) % 10 === check;
}

export function barcodeProblem(code: string): string | null {
  if (!/^\d+$/.test(code)) return `Barcode "${code}" must contain digits only`;
  if (![8, 12, 13].includes(code.length))
    return `Barcode "${code}" must be 8 (EAN-8), 12 (UPC-A) or 13 (EAN-13) digits`;
  if (!isValidBarcode(code)) return `Barcode "${code}" has a wrong check digit (last digit)`;
  return null;
}

export const barcodeSchema = z
  .string()
  .trim()
  .max(13, 'A barcode has at most 13 digits')
  .superRefine((v, ctx) => {
    const problem = barcodeProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Product names are printed on receipts (custom items too): only what the printer can print. */
export const productNameSchema = printableText(
  z
    .string()
    .trim()
    .min(1, 'A product needs a name')
    .max(80, 'A product name has at most 80 characters'),
  'The name',
);
export const categorySchema = printableText(
  z
    .string()
    .trim()
    .min(1, 'A product needs a category')
    .max(40, 'A category has at most 40 characters'),
  'The category',
);
export const shortcutSchema = printableText(
  z.string().trim().min(1).max(10, 'A shortcut has at most 10 characters'),
  'The shortcut',
);

const shortNameSchema = (what: string) =>
  printableText(
    z
      .string()
      .trim()
      .min(1, `A ${what} needs a name`)
      .max(40, `A ${what} name has at most 40 characters`),
    `The ${what} name`,
  );
export const skuSchema = printableText(
  z.string().trim().min(1).max(40, 'A SKU has at most 40 characters'),
  'The SKU',
);
export const pluSchema = z
  .string()
  .trim()
  .regex(/^\d{5}$/, 'A scale item code (PLU) is 5 digits, like 00123');

export const variantInputSchema = z
  .object({
    id: z.uuid('That is not a variant id').optional(),
    name: shortNameSchema('variant'),
    priceMinor: minorUnitsSchema,
    barcode: barcodeSchema.nullable().optional(),
    sku: skuSchema.nullable().optional(),
  })
  .strict();
export type VariantInput = z.infer<typeof variantInputSchema>;

/** Create (no id) or update (id) one product. */
export const productInputSchema = z
  .object({
    id: z.uuid('That is not a product id').optional(),
    name: productNameSchema,
    category: categorySchema,
    priceMinor: minorUnitsSchema,
    vatRateBp: vatRateSchema,
    eatInVatRateBp: vatRateSchema.nullable().optional(),
    soldBy: z.enum(['unit', 'weight'], 'Sold by is unit or weight').optional(),
    plu: pluSchema.nullable().optional(),
    sku: skuSchema.nullable().optional(),
    barcode: barcodeSchema.nullable().optional(),
    shortcut: shortcutSchema.nullable().optional(),
    sortOrder: z.number().int().min(0).max(1_000_000).optional(),
    active: z.boolean().optional(),
    /** The whole list (variants left out are removed); omitted: unchanged. */
    variants: z.array(variantInputSchema).max(20, 'A product has at most 20 variants').optional(),
    /** The groups offered with it, in order; omitted: unchanged. */
    modifierGroupIds: z
      .array(z.uuid('That is not a modifier group id'))
      .max(10, 'A product has at most 10 modifier groups')
      .optional(),
  })
  .strict();

export const modifierInputSchema = z
  .object({
    id: z.uuid('That is not a modifier id').optional(),
    name: shortNameSchema('modifier'),
    priceMinor: minorUnitsSchema,
    vatRateBp: vatRateSchema.nullable().optional(),
  })
  .strict();

/** A modifier group with all its modifiers (those left out are removed). */
export const modifierGroupObjectSchema = z
  .object({
    id: z.uuid('That is not a modifier group id').optional(),
    name: shortNameSchema('modifier group'),
    minChoices: z
      .number({ error: 'Minimum choices must be a number' })
      .int('Minimum choices is a whole number')
      .min(0, 'Minimum choices cannot be negative')
      .max(20),
    maxChoices: z
      .number({ error: 'Maximum choices must be a number' })
      .int('Maximum choices is a whole number')
      .min(1, 'Maximum choices is at least 1')
      .max(20, 'Maximum choices is at most 20'),
    modifiers: z
      .array(modifierInputSchema)
      .min(1, 'A modifier group needs at least one choice')
      .max(30, 'A modifier group has at most 30 choices'),
  })
  .strict();
export function checkModifierGroup(
  g: Parameters<typeof modifierGroupProblem>[0],
  ctx: z.RefinementCtx,
): void {
  const problem = modifierGroupProblem(g);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}
export const modifierGroupInputSchema = modifierGroupObjectSchema.superRefine(checkModifierGroup);
export type ModifierGroupInput = z.infer<typeof modifierGroupInputSchema>;

/** Min/max rules of a group, in plain words; null when fine. */
export function modifierGroupProblem(g: {
  name: string;
  minChoices: number;
  maxChoices: number;
  modifiers: readonly unknown[];
}): string | null {
  if (g.minChoices > g.maxChoices)
    return `${g.name}: the minimum number of choices (${g.minChoices}) is more than the maximum (${g.maxChoices})`;
  if (g.minChoices > g.modifiers.length)
    return `${g.name}: it asks for at least ${g.minChoices} choices but offers only ${g.modifiers.length}`;
  return null;
}
export type ProductInput = z.infer<typeof productInputSchema>;

export const catalogueQuerySchema = z
  .object({
    search: z.string().trim().max(80).optional(),
    category: categorySchema.optional(),
    includeInactive: z.boolean().optional(),
  })
  .strict()
  .optional();
export type CatalogueQuery = z.infer<typeof catalogueQuerySchema>;

export type CsvRowError = { row: number; reason: string };
export type CsvImportResult = {
  /** Good rows written (created + updated). */
  imported: number;
  created: number;
  updated: number;
  /** Every refused row, with its 1-based line number in the file (the header is row 1). */
  errors: CsvRowError[];
};

export const MAX_CSV_BYTES = 1_000_000;

/** What a scanned code added: a product, maybe one of its variants, maybe a scale label's figures. */
export type ScanResult = {
  product: Product;
  variantId: string | null;
  scale:
    | null
    | { kind: 'weight'; code: string; grams: number; pricePerKgMinor: number; priceMinor: number }
    | { kind: 'price'; code: string; priceMinor: number };
};
