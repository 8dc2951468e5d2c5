import type { TenderKind } from './order-status';
import type { CashCountResult, CashSummary } from './cash';
import type { DojoCheck } from './dojo-check';
import { z } from 'zod';

/**
 * A receipt document: the one description of a printed receipt that both the ESC/POS renderer and
 * the on-screen preview consume. It is stored as JSON in the print journal, so a reprint is the
 * exact receipt. Blocks say what to show, not how many columns the paper has; the layout
 * (`receipt-layout.ts`) fits them to 32 or 48 columns.
 */

export const receiptAlignSchema = z.enum(['left', 'center', 'right']);
export type ReceiptAlign = z.infer<typeof receiptAlignSchema>;

/** `tall` is double height; `large` is double height and width (falls back to tall if it does not fit). */
export const receiptTextSizeSchema = z.enum(['normal', 'tall', 'large']);
export type ReceiptTextSize = z.infer<typeof receiptTextSizeSchema>;

const style = {
  align: receiptAlignSchema.default('left'),
  bold: z.boolean().default(false),
  size: receiptTextSizeSchema.default('normal'),
};

const textBlock = z.object({ type: z.literal('text'), text: z.string().max(2000), ...style });
const columnsBlock = z.object({
  type: z.literal('columns'),
  left: z.string().max(2000),
  right: z.string().max(200),
  bold: z.boolean().default(false),
  size: receiptTextSizeSchema.default('normal'),
});
const separatorBlock = z.object({
  type: z.literal('separator'),
  style: z.enum(['single', 'double']).default('single'),
});

/** One Dojo receipt line, normalised but with its text kept verbatim. */
export const dojoLineSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string().max(500), ...style }),
  z.object({ kind: z.literal('newline') }),
  z.object({ kind: z.literal('separator'), style: z.enum(['single', 'double']) }),
  z.object({ kind: z.literal('logo'), align: receiptAlignSchema }),
  /** A line type this till does not know yet: shown generically, never dropped. */
  z.object({
    kind: z.literal('unknown'),
    lineType: z.string().max(100),
    text: z.string().max(500).nullable(),
  }),
]);
export type DojoLine = z.infer<typeof dojoLineSchema>;

const dojoBlock = z.object({
  type: z.literal('dojo'),
  copy: z.enum(['customer', 'merchant']),
  lines: z.array(dojoLineSchema).max(500),
});
const qrBlock = z.object({
  type: z.literal('qr'),
  data: z.string().min(1).max(300),
  caption: z.string().max(100).nullable().default(null),
});
const logoBlock = z.object({ type: z.literal('logo') });
const feedBlock = z.object({
  type: z.literal('feed'),
  lines: z.number().int().min(1).max(10).default(1),
});
const cutBlock = z.object({ type: z.literal('cut') });
const drawerBlock = z.object({ type: z.literal('drawer') });

export const receiptBlockSchema = z.discriminatedUnion('type', [
  textBlock,
  columnsBlock,
  separatorBlock,
  dojoBlock,
  qrBlock,
  logoBlock,
  feedBlock,
  cutBlock,
  drawerBlock,
]);
export type ReceiptBlock = z.infer<typeof receiptBlockSchema>;
export type ReceiptBlockInput = z.input<typeof receiptBlockSchema>;

export const receiptKinds = [
  'customer',
  'merchant',
  'refund',
  'return',
  'z-report',
  'x-report',
  'test',
  'drawer',
] as const;
export const receiptKindSchema = z.enum(receiptKinds);
export type ReceiptKind = z.infer<typeof receiptKindSchema>;

export const receiptDocumentSchema = z.object({
  version: z.literal(1),
  kind: receiptKindSchema,
  /** What the journal and the UI call it: "Receipt R-1042", "Refund …", "Z report …". */
  title: z.string().max(120),
  /** Order reference, refund id or closure id the receipt belongs to. */
  reference: z.string().max(120).nullable(),
  createdAt: z.string(),
  blocks: z.array(receiptBlockSchema).max(2000),
  /**
   * Characters the printer cannot print that were printed as the marker instead (text from Dojo
   * or from before input was checked); absent when there were none.
   */
  replaced: z.array(z.string().max(8)).max(100).optional(),
});
export type ReceiptDocument = z.infer<typeof receiptDocumentSchema>;

/** Parses a document coming back from the journal (or over IPC); throws on a malformed one. */
export function parseReceiptDocument(value: unknown): ReceiptDocument {
  return receiptDocumentSchema.parse(value);
}

/** Builders keep the model code short and the defaults in one place. */
export const block = {
  text: (
    text: string,
    opts: Partial<{ align: ReceiptAlign; bold: boolean; size: ReceiptTextSize }> = {},
  ): ReceiptBlock => ({
    type: 'text',
    text,
    align: opts.align ?? 'left',
    bold: opts.bold ?? false,
    size: opts.size ?? 'normal',
  }),
  columns: (
    left: string,
    right: string,
    opts: Partial<{ bold: boolean; size: ReceiptTextSize }> = {},
  ): ReceiptBlock => ({
    type: 'columns',
    left,
    right,
    bold: opts.bold ?? false,
    size: opts.size ?? 'normal',
  }),
  separator: (style: 'single' | 'double' = 'single'): ReceiptBlock => ({
    type: 'separator',
    style,
  }),
  dojo: (copy: 'customer' | 'merchant', lines: DojoLine[]): ReceiptBlock => ({
    type: 'dojo',
    copy,
    lines,
  }),
  qr: (data: string, caption: string | null = null): ReceiptBlock => ({
    type: 'qr',
    data,
    caption,
  }),
  logo: (): ReceiptBlock => ({ type: 'logo' }),
  feed: (lines = 1): ReceiptBlock => ({ type: 'feed', lines }),
  cut: (): ReceiptBlock => ({ type: 'cut' }),
  drawer: (): ReceiptBlock => ({ type: 'drawer' }),
};

/** Columns of font A on the two paper widths the till supports. */
export const paperColumns = { 58: 32, 80: 48 } as const;
export type PaperWidth = keyof typeof paperColumns;

/** Tips of a period: the total, per terminal and per person who took the sale. */
export type TipsSummary = {
  count: number;
  amountMinor: number;
  byTerminal: {
    terminalId: string;
    terminalTid: string | null;
    count: number;
    amountMinor: number;
  }[];
  byStaff: { staffId: string | null; name: string; count: number; amountMinor: number }[];
};

/** Figures of one till "day": everything after the previous close, up to `periodEnd`. */
export type EndOfDaySummary = {
  periodStart: string | null;
  periodEnd: string;
  currency: 'GBP' | 'EUR';
  ordersCount: number;
  /** Before discounts. */
  grossSalesMinor: number;
  discountsMinor: number;
  /** What customers paid for: gross sales less discounts. */
  salesMinor: number;
  refundsCount: number;
  refundsMinor: number;
  /** Card sales reversed at Dojo the same day, apart from refunds (absent in older summaries). */
  reversalsCount?: number;
  reversalsMinor?: number;
  /**
   * Cash handed back from the drawer against orders (cash refunds and the cash part of returns),
   * deducted from net takings (absent in older summaries, whose net did not deduct it).
   */
  cashRefundsCount?: number;
  cashRefundsMinor?: number;
  /** Exchange credit that paid for new orders in the period: in Sales, but not money taken. */
  exchangeCreditCount?: number;
  exchangeCreditMinor?: number;
  /** Items taken back (returns and exchanges): the value returned, however it went back. */
  returnsCount?: number;
  returnsMinor?: number;
  netMinor: number;
  vatByRate: { rateBp: number; grossMinor: number; vatMinor: number }[];
  tenders: { kind: TenderKind; count: number; amountMinor: number }[];
  /** Takings by tender less the money that went back through it; adds up to `netMinor`. */
  netByTender?: { kind: TenderKind; amountMinor: number }[];
  /** Tips taken on card payments, apart from the sales (absent in summaries stored before tips). */
  tips?: TipsSummary;
  /** Cards taken on another terminal during an outage and not yet matched with Dojo's record. */
  toMatch?: { count: number; amountMinor: number };
  /** terminalTid is what people know the terminal by; null for attempts recorded before it was kept. */
  cardByTerminal: {
    terminalId: string;
    terminalTid?: string | null;
    count: number;
    amountMinor: number;
  }[];
  /** The drawer (absent in summaries stored before the till kept one). */
  cash?: CashSummary;
  /** The count at close; null when the day had no float to count against. */
  count?: CashCountResult | null;
  /** The close's comparison with Dojo's own record. */
  dojoCheck?: DojoCheck | null;
};
