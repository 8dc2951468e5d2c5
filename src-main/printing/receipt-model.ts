import {
  block,
  type DojoLine,
  type ReceiptBlock,
  type ReceiptDocument,
} from '../../src-shared/domain/receipt';
import { formatMoney, type CurrencyCode } from '../../src-shared/money';
import type { TenderKind } from '../../src-shared/domain/order-status';
import { vatByRate } from '../../src-shared/domain/pricing';
import { formatKg } from '../../src-shared/domain/scale-barcodes';

/** What every receipt needs from the shop settings. */
export type ShopInfo = {
  name: string;
  address: string;
  vatNumber: string;
  footer: string;
  tillName: string;
  /**
   * This till as the shop database knows it ("Front counter (TILL-A)"), printed on its X and Z
   * reports instead of the local till name; absent when the till works alone.
   */
  shopTillName?: string;
  /** IANA zone for the printed date and time; the machine's zone when absent. */
  timeZone?: string;
};

export type ReceiptOrderLine = {
  name: string;
  quantity: number;
  unitPriceMinor: number;
  /** The discount given on this line itself (a basket discount is shown once, in the totals). */
  lineDiscountMinor: number;
  vatRateBp: number;
  /** After every discount, VAT inclusive; with `vatMinor` exactly as the order recorded them. */
  lineTotalMinor: number;
  vatMinor: number;
  /** A weighed line: printed as "0.245 kg x £18.00/kg" under its name. */
  weightGrams?: number | null;
  pricePerKgMinor?: number | null;
  /** Chosen modifiers, printed under the line; each with its share of the total and VAT. */
  modifiers?: {
    name: string;
    priceMinor: number;
    vatRateBp: number;
    totalMinor: number;
    vatMinor: number;
  }[];
};

export type ReceiptTender = {
  kind: TenderKind;
  amountMinor: number;
  tenderedMinor: number | null;
  changeMinor: number;
  terminalId: string | null;
  cardType: string | null;
  cardLast4: string | null;
  authCode: string | null;
  reference?: string | null;
  /** A tip taken with this card payment, apart from the sale. */
  tipMinor?: number;
  /** Cash rounding: the cash due was the amount plus this (docs/staff-and-cash.md). */
  roundingMinor?: number;
};

export type ReceiptCardPayment = {
  attemptId: string;
  terminalId: string;
  /** The terminal's TID as recorded when the payment started (null or absent when unknown). */
  terminalTid?: string | null;
  amountMinor: number;
  customerReceipt: DojoLine[] | null;
  merchantReceipt: DojoLine[] | null;
  signatureTaken: boolean;
};

export type OrderReceiptInput = {
  shop: ShopInfo;
  order: {
    id: string;
    reference: string;
    currency: CurrencyCode;
    subtotalMinor: number;
    discountMinor: number;
    totalMinor: number;
    tillId: string;
    at: string;
    /** Eaten in: said under the reference, since it changes the VAT of some lines. */
    eatIn?: boolean;
  };
  lines: ReceiptOrderLine[];
  tenders: ReceiptTender[];
  cardPayments: ReceiptCardPayment[];
};

export type RefundReceiptInput = {
  shop: ShopInfo;
  refund: {
    id: string;
    kind: 'matched' | 'unlinked' | 'server';
    amountMinor: number;
    currency: CurrencyCode;
    reason: string | null;
    at: string;
  };
  orderReference: string | null;
  tillId: string;
  cardPayment: ReceiptCardPayment | null;
};

/** Product names are people's typing: keep a receipt line readable whatever was entered. */
export const MAX_NAME_CHARS = 120;
const clip = (s: string): string =>
  s.length > MAX_NAME_CHARS ? s.slice(0, MAX_NAME_CHARS - 3) + '...' : s;

export function formatDateTime(iso: string, timeZone?: string): { date: string; time: string } {
  const d = new Date(iso);
  const opts: Intl.DateTimeFormatOptions = timeZone ? { timeZone } : {};
  return {
    date: d.toLocaleDateString('en-GB', {
      ...opts,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    }),
    time: d.toLocaleTimeString('en-GB', { ...opts, hour: '2-digit', minute: '2-digit' }),
  };
}

export const formatRate = (bp: number): string =>
  `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : bp % 10 === 0 ? 1 : 2)}%`;

export function shopHeader(shop: ShopInfo): ReceiptBlock[] {
  const out: ReceiptBlock[] = [
    block.logo(),
    block.text(shop.name || 'OpenTill', { align: 'center', bold: true, size: 'large' }),
  ];
  if (shop.address)
    out.push(block.text(shop.address.replace(/\s*,\s*/g, ', '), { align: 'center' }));
  if (shop.vatNumber) out.push(block.text(`VAT No: ${shop.vatNumber}`, { align: 'center' }));
  return out;
}

function whenAndWhere(
  shop: ShopInfo,
  at: string,
  tillId: string,
  refLabel: string,
  reference: string,
): ReceiptBlock[] {
  const { date, time } = formatDateTime(at, shop.timeZone);
  return [
    block.columns(`${date} ${time}`, shop.tillName || `Till ${tillId}`),
    block.columns(refLabel, reference, { bold: true }),
  ];
}

/** VAT by rate from the order's own line figures (basket discounts are already spread over lines). */
export function vatBreakdown(
  lines: readonly ReceiptOrderLine[],
): { rateBp: number; grossMinor: number; vatMinor: number }[] {
  // Modifiers with a VAT rate of their own count under that rate.
  return vatByRate(lines);
}

function tenderLabel(t: ReceiptTender): string {
  if (t.kind === 'cash') return 'Cash';
  if (t.kind === 'voucher') return `Voucher ${t.reference ?? ''}`.trim();
  if (t.kind === 'card_other') return `Card ****${t.cardLast4 ?? ''} (other terminal)`;
  const card = [t.cardType, t.cardLast4 ? `****${t.cardLast4}` : null].filter(Boolean).join(' ');
  return card ? `Card ${card}` : 'Card';
}

export function buildCustomerReceipt(input: OrderReceiptInput): ReceiptDocument {
  const { shop, order, lines, tenders } = input;
  const money = (m: number) => formatMoney(m, order.currency);
  const blocks: ReceiptBlock[] = [
    ...shopHeader(shop),
    block.separator(),
    ...whenAndWhere(shop, order.at, order.tillId, 'Order', order.reference),
    ...(order.eatIn ? [block.text('Eat in')] : []),
    block.separator(),
  ];
  for (const l of lines) {
    blocks.push(block.columns(clip(l.name), money(l.quantity * l.unitPriceMinor)));
    if (l.weightGrams && l.pricePerKgMinor !== null && l.pricePerKgMinor !== undefined)
      blocks.push(
        block.text(
          `  ${l.quantity !== 1 ? `${l.quantity} x ` : ''}${formatKg(l.weightGrams)} x ${money(l.pricePerKgMinor)}/kg`,
        ),
      );
    else if (l.quantity !== 1)
      blocks.push(block.text(`  ${l.quantity} x ${money(l.unitPriceMinor)}`));
    for (const m of l.modifiers ?? [])
      blocks.push(block.columns(`  + ${clip(m.name)}`, money(m.priceMinor * l.quantity)));
    if (l.lineDiscountMinor > 0)
      blocks.push(block.columns('  Discount', `-${money(l.lineDiscountMinor)}`));
  }
  blocks.push(block.separator(), block.columns('Subtotal', money(order.subtotalMinor)));
  if (order.discountMinor > 0)
    blocks.push(block.columns('Discounts', `-${money(order.discountMinor)}`));
  blocks.push(
    block.columns('TOTAL', money(order.totalMinor), { bold: true, size: 'large' }),
    block.separator(),
  );
  const vat = vatBreakdown(lines);
  for (const v of vat)
    blocks.push(
      block.columns(`VAT ${formatRate(v.rateBp)} on ${money(v.grossMinor)}`, money(v.vatMinor)),
    );
  blocks.push(
    block.columns('Total VAT', money(vat.reduce((s, v) => s + v.vatMinor, 0))),
    block.separator(),
  );
  for (const t of tenders) {
    if (t.roundingMinor) {
      const r = t.roundingMinor;
      blocks.push(
        block.columns('Cash rounding', r < 0 ? `-${money(-r)}` : `+${money(r)}`),
        block.columns('Cash due', money(t.amountMinor + r)),
      );
    }
    if (t.kind === 'cash' && t.tenderedMinor !== null && t.tenderedMinor !== t.amountMinor) {
      blocks.push(block.columns('Cash tendered', money(t.tenderedMinor)));
    } else blocks.push(block.columns(tenderLabel(t), money(t.amountMinor)));
    if (t.authCode) blocks.push(block.text(`  Auth code ${t.authCode}`));
    if (t.tipMinor) blocks.push(block.columns('  Tip (apart from sale)', money(t.tipMinor)));
  }
  const change = tenders.reduce((s, t) => s + t.changeMinor, 0);
  if (change > 0) blocks.push(block.columns('CHANGE', money(change), { bold: true, size: 'tall' }));
  for (const p of input.cardPayments) {
    if (!p.customerReceipt) continue;
    blocks.push(
      block.separator(),
      block.text('Card payment - customer copy', { align: 'center', bold: true }),
      block.dojo('customer', p.customerReceipt),
    );
  }
  blocks.push(
    block.separator(),
    block.qr(order.reference, order.reference),
    ...footer(shop),
    block.cut(),
  );
  return {
    version: 1,
    kind: 'customer',
    title: `Receipt ${order.reference}`,
    reference: order.reference,
    createdAt: order.at,
    blocks,
  };
}

function footer(shop: ShopInfo): ReceiptBlock[] {
  return shop.footer
    ? [block.text(shop.footer, { align: 'center' })]
    : [block.text('Thank you', { align: 'center' })];
}

/** How papers name a terminal: by TID, as people know it; by Dojo's id when the TID is unknown. */
export const terminalLabel = (t: { terminalId: string; terminalTid?: string | null }): string =>
  t.terminalTid ? `TID ${t.terminalTid}` : t.terminalId;

/** The shop's copy of one card payment: Dojo's merchant lines and, when one was taken, the signature. */
export function buildMerchantCopy(
  input: OrderReceiptInput,
  payment: ReceiptCardPayment,
): ReceiptDocument {
  const { shop, order } = input;
  const blocks: ReceiptBlock[] = [
    block.text('MERCHANT COPY', { align: 'center', bold: true, size: 'large' }),
    block.text(shop.name || 'OpenTill', { align: 'center', bold: true }),
    ...whenAndWhere(shop, order.at, order.tillId, 'Order', order.reference),
    block.columns('Terminal', terminalLabel(payment)),
    block.columns('Amount', formatMoney(payment.amountMinor, order.currency), { bold: true }),
    block.separator(),
  ];
  if (payment.merchantReceipt) blocks.push(block.dojo('merchant', payment.merchantReceipt));
  else
    blocks.push(block.text('No card receipt was returned by the terminal.', { align: 'center' }));
  if (payment.signatureTaken) {
    blocks.push(
      block.separator(),
      block.text('Customer signature:'),
      block.feed(3),
      block.text('x' + '_'.repeat(30)),
      block.text('Signature checked by the cashier'),
    );
  }
  blocks.push(
    block.separator(),
    block.text('Keep with your records', { align: 'center' }),
    block.cut(),
  );
  return {
    version: 1,
    kind: 'merchant',
    title: `Merchant copy ${order.reference}`,
    reference: order.reference,
    createdAt: order.at,
    blocks,
  };
}

const refundKindLabel = {
  matched: 'Card refund (terminal)',
  unlinked: 'Card refund (terminal, unlinked)',
  server: 'Refund to card (online)',
} as const;

export function buildRefundReceipt(input: RefundReceiptInput): ReceiptDocument {
  const { shop, refund } = input;
  const money = (m: number) => formatMoney(m, refund.currency);
  const reference = input.orderReference ?? refund.id;
  const blocks: ReceiptBlock[] = [
    ...shopHeader(shop),
    block.separator(),
    block.text('REFUND', { align: 'center', bold: true, size: 'large' }),
    ...whenAndWhere(
      shop,
      refund.at,
      input.tillId,
      input.orderReference ? 'Original order' : 'Refund',
      reference,
    ),
    block.separator(),
    block.columns('Method', refundKindLabel[refund.kind]),
  ];
  if (refund.reason) blocks.push(block.text(`Reason: ${clip(refund.reason)}`));
  blocks.push(
    block.columns('AMOUNT REFUNDED', money(refund.amountMinor), { bold: true, size: 'tall' }),
  );
  if (input.cardPayment?.customerReceipt) {
    blocks.push(
      block.separator(),
      block.text('Card refund - customer copy', { align: 'center', bold: true }),
      block.dojo('customer', input.cardPayment.customerReceipt),
    );
  }
  blocks.push(block.separator(), block.qr(reference, reference), ...footer(shop), block.cut());
  return {
    version: 1,
    kind: 'refund',
    title: `Refund ${reference}`,
    reference,
    createdAt: refund.at,
    blocks,
  };
}

/** A reprint is the stored receipt, marked as such, and never opens the drawer again. */
export function asReprint(doc: ReceiptDocument): ReceiptDocument {
  const blocks = doc.blocks.filter((b) => b.type !== 'drawer');
  return {
    ...doc,
    blocks: [block.text('*** REPRINT ***', { align: 'center', bold: true }), ...blocks],
  };
}

export function buildDrawerKick(at: string, reference: string | null): ReceiptDocument {
  return {
    version: 1,
    kind: 'drawer',
    title: 'Open cash drawer',
    reference,
    createdAt: at,
    blocks: [block.drawer()],
  };
}

export function buildTestPrint(
  shop: ShopInfo,
  at: string,
  target: string,
  columns: number,
): ReceiptDocument {
  const { date, time } = formatDateTime(at, shop.timeZone);
  return {
    version: 1,
    kind: 'test',
    title: 'Test print',
    reference: null,
    createdAt: at,
    blocks: [
      ...shopHeader(shop),
      block.separator('double'),
      block.text('TEST PRINT', { align: 'center', bold: true, size: 'large' }),
      block.columns(date, time),
      block.columns('Printer', target),
      block.columns('Columns', String(columns)),
      block.text('1234567890'.repeat(5).slice(0, columns)),
      block.columns('Pound / euro', '£1.00 / €1.00'),
      block.qr('OPENTILL-TEST', 'QR code'),
      block.separator('double'),
      block.cut(),
    ],
  };
}
