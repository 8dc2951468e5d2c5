// Owned by the orders feature. Channels are named '<domain>:<verb>'.
import { z } from 'zod';
import { channel, event } from './define';
import { approvalSchema } from '../domain/staff';
import {
  catalogueQuerySchema,
  MAX_CSV_BYTES,
  checkModifierGroup,
  checkVatRates,
  modifierGroupObjectSchema,
  productInputSchema,
  vatRatesObjectSchema,
  type CsvImportResult,
  type ModifierGroup,
  type Product,
  type ScanResult,
  type VatRate,
} from '../domain/catalogue';
import {
  createOrderInputSchema,
  orderListQuerySchema,
  orderRefSchema,
  parkInputSchema,
  payCashInputSchema,
  sellCashInputSchema,
  voidInputSchema,
  type CashPaymentResult,
  type CashSaleResult,
  type Order,
  type OrderChanged,
  type OrderDetail,
  type OrderPage,
  type OrderSummary,
  type ResumeResult,
} from '../domain/orders';

/** A supervisor's or manager's PIN approving this one action (an override). */
const approval = approvalSchema.optional();

export const ordersChannels = {
  /** Products, sorted by category, sort order, name. `search` matches any part of the name. */
  'catalogue:list': channel<Product[]>()(catalogueQuerySchema),
  /** Creates (no id) or updates (id) a product. */
  'catalogue:upsert': channel<Product>()(productInputSchema.extend({ approval })),
  /** Deletes a product never sold; a product on past orders is switched off instead. */
  'catalogue:delete': channel<{ id: string; outcome: 'deleted' | 'deactivated' }>()(
    z.object({ id: z.uuid('That is not a product id'), approval }).strict(),
  ),
  /** CSV with a header row: name, category, price (2.50), vat (20/5/0), barcode, shortcut. */
  'catalogue:import-csv': channel<CsvImportResult>()(
    z
      .object({
        csv: z
          .string()
          .min(1, 'The file is empty')
          .refine(
            (s) => s.length <= MAX_CSV_BYTES && new TextEncoder().encode(s).length <= MAX_CSV_BYTES,
            'A catalogue file can be at most 1 MB',
          ),
        approval,
      })
      .strict(),
  ),
  /** NOT_FOUND when no active product has the code. */
  'catalogue:lookup-barcode': channel<Product>()(
    z.object({ barcode: z.string().trim().min(1, 'Scan or type a barcode').max(32) }).strict(),
  ),
  /**
   * A scanned code: a product's or a variant's barcode, or a scale label (weight or price in the
   * code, check digit verified, prefix from the shop's settings). Prices come from the catalogue.
   */
  'catalogue:scan': channel<ScanResult>()(
    z
      .object({
        barcode: z
          .string()
          .trim()
          .min(1, 'Scan or type a barcode')
          .max(32)
          .regex(/^\d+$/, 'A barcode is digits only'),
      })
      .strict(),
  ),
  /** The shop's VAT rates, with names. */
  'catalogue:vat-rates': channel<VatRate[]>()(z.undefined()),
  /** Replaces the shop's VAT rates; a rate still used by a product or modifier cannot go. */
  'catalogue:set-vat-rates': channel<VatRate[]>()(
    vatRatesObjectSchema.extend({ approval }).superRefine(checkVatRates),
  ),
  /** Every modifier group with its choices. */
  'catalogue:modifier-groups': channel<ModifierGroup[]>()(z.undefined()),
  /** Creates (no id) or updates (id) a modifier group with its whole list of choices. */
  'catalogue:upsert-modifier-group': channel<ModifierGroup>()(
    modifierGroupObjectSchema.extend({ approval }).superRefine(checkModifierGroup),
  ),
  /** The whole catalogue as CSV (the same format the import reads: docs/CATALOGUE.md). */
  'catalogue:export-csv': channel<{ csv: string }>()(z.undefined()),
  /**
   * Commits the basket as an `open` order (or brings the basket's own order up to date, keeping
   * its reference); totals are computed here from catalogue prices.
   */
  'orders:create': channel<Order>()(createOrderInputSchema.extend({ approval })),
  /** Parks a new basket, or puts an unpaid order aside (`awaitingCard: true` while Dojo is unreachable). */
  'orders:park': channel<OrderSummary>()(parkInputSchema),
  'orders:list-parked': channel<OrderSummary[]>()(z.undefined()),
  /** Parked basket → its lines come back and it is an open order again (same reference); awaiting card → the order. */
  'orders:resume': channel<ResumeResult>()(orderRefSchema),
  /** Voids an order with no payment taken. */
  'orders:void': channel<OrderSummary>()(voidInputSchema.extend({ approval })),
  'orders:pay-cash': channel<CashPaymentResult>()(payCashInputSchema),
  /**
   * A cash sale in one step: the basket committed as an order and paid in cash in one transaction
   * (one wait, one durable commit). Cash short of the amount due is refused; nothing is written.
   */
  'orders:sell-cash': channel<CashSaleResult>()(sellCashInputSchema.extend({ approval })),
  /** History, newest first, paged. */
  'orders:list': channel<OrderPage>()(orderListQuerySchema),
  /** Lines, tenders, refunds and payment attempts. */
  'orders:get': channel<OrderDetail>()(orderRefSchema),
  /** Orders parked while Dojo was unreachable, oldest first, to charge when the link is back. */
  'orders:awaiting-card': channel<OrderSummary[]>()(z.undefined()),
} as const;

export const ordersEvents = {
  /** Any order created, parked, resumed, voided or paid. */
  'orders:changed': event<OrderChanged>(),
  /** The catalogue was edited or imported; reload it. */
  'catalogue:changed': event<{ count: number }>(),
} as const;
