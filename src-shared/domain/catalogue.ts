import { z } from 'zod';
import { minorUnitsSchema } from '../money';
import { printableText } from './printable-text';

/** UK VAT rates in basis points: 20 % standard, 5 % reduced, 0 % zero-rated. */
export const vatRatesBp = [2000, 500, 0] as const;
export type VatRateBp = (typeof vatRatesBp)[number];

export const vatRateSchema = z.union([z.literal(2000), z.literal(500), z.literal(0)], {
  error: 'VAT rate must be 20 %, 5 % or 0 % (2000, 500 or 0 basis points)',
});

export type Product = {
  id: string;
  name: string;
  category: string;
  /** VAT-inclusive unit price in minor units. */
  priceMinor: number;
  vatRateBp: VatRateBp;
  barcode: string | null;
  shortcut: string | null;
  sortOrder: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
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

/** Create (no id) or update (id) one product. */
export const productInputSchema = z
  .object({
    id: z.uuid('That is not a product id').optional(),
    name: productNameSchema,
    category: categorySchema,
    priceMinor: minorUnitsSchema,
    vatRateBp: vatRateSchema,
    barcode: barcodeSchema.nullable().optional(),
    shortcut: shortcutSchema.nullable().optional(),
    sortOrder: z.number().int().min(0).max(1_000_000).optional(),
    active: z.boolean().optional(),
  })
  .strict();
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
