import { block, type ReceiptBlock, type ReceiptDocument } from '../../src-shared/domain/receipt';
import { formatMoney } from '../../src-shared/money';
import type { ReturnRecord } from '../../src-shared/domain/returns';
import type { Db } from '../db/connection';
import {
  formatDateTime,
  formatRate,
  MAX_NAME_CHARS,
  shopHeader,
  type ShopInfo,
} from '../printing/receipt-model';
import { findReturn, last4Of } from './returns.repo';

type NewLine = { name: string; quantity: number; lineTotalMinor: number };
type NewTender = {
  kind: string;
  amountMinor: number;
  changeMinor: number;
  cardLast4: string | null;
};

export type ReturnReceiptInput = {
  shop: ShopInfo;
  tillId: string;
  ret: ReturnRecord;
  /** An exchange's new order: its lines, total and how the difference was paid. */
  exchange: {
    reference: string;
    totalMinor: number;
    lines: NewLine[];
    tenders: NewTender[];
  } | null;
};

export function loadReturnReceiptInput(
  db: Db,
  returnId: string,
  shop: ShopInfo,
  tillId: string,
): ReturnReceiptInput {
  const r = findReturn(db, returnId);
  if (!r) throw new Error(`return ${returnId} not stored`);
  const { receiptJobId: _job, ...ret } = r;
  let exchange: ReturnReceiptInput['exchange'] = null;
  if (r.exchangeOrderId) {
    const o = db
      .prepare<[string], { reference: string; total_minor: number }>(
        'SELECT reference, total_minor FROM orders WHERE id = ?',
      )
      .get(r.exchangeOrderId);
    const lines = db
      .prepare<[string], NewLine>(
        `SELECT name, quantity, line_total_minor AS lineTotalMinor FROM order_lines WHERE order_id = ? ORDER BY position`,
      )
      .all(r.exchangeOrderId);
    const tenders = db
      .prepare<
        [string],
        {
          kind: string;
          amount_minor: number;
          change_minor: number;
          card_last4: string | null;
          card: string | null;
        }
      >(
        `SELECT t.kind, t.amount_minor, t.change_minor, t.card_last4, a.card FROM tenders t
         LEFT JOIN payment_attempts a ON a.id = t.attempt_id WHERE t.order_id = ? ORDER BY t.created_at, t.rowid`,
      )
      .all(r.exchangeOrderId)
      .map((t) => ({
        kind: t.kind,
        amountMinor: t.amount_minor,
        changeMinor: t.change_minor,
        cardLast4: t.card_last4 ?? last4Of(t.card),
      }));
    if (o) exchange = { reference: o.reference, totalMinor: o.total_minor, lines, tenders };
  }
  return { shop, tillId, ret, exchange };
}

const clip = (s: string) => (s.length > MAX_NAME_CHARS ? `${s.slice(0, MAX_NAME_CHARS - 1)}…` : s);

const payoutLabel: Record<string, string> = {
  cash: 'Cash from the drawer',
  'card-terminal': 'To card (terminal)',
  'card-server': 'To card (online)',
  exchange: 'Credit for new items',
};

/**
 * The return (or exchange) receipt: the items taken back with their VAT, how the money went back,
 * and for an exchange the new items and how the difference was settled — both sides on one slip.
 */
export function buildReturnReceipt(input: ReturnReceiptInput): ReceiptDocument {
  const { shop, ret, exchange } = input;
  const money = (m: number) => formatMoney(m, ret.currency);
  const minus = (m: number) => (m > 0 ? `-${money(m)}` : money(0));
  const at = ret.completedAt ?? ret.createdAt;
  const { date, time } = formatDateTime(at, shop.timeZone);
  const blocks: ReceiptBlock[] = [];
  if (
    exchange?.tenders.some((t) => t.kind === 'cash') ||
    ret.payouts.some((p) => p.method === 'cash')
  )
    blocks.push(block.drawer());
  blocks.push(
    ...shopHeader(shop),
    block.separator(),
    block.text(ret.kind === 'exchange' ? 'EXCHANGE' : 'RETURN', {
      align: 'center',
      bold: true,
      size: 'large',
    }),
    block.columns(`${date} ${time}`, shop.tillName || `Till ${input.tillId}`),
    block.columns('Original order', ret.orderReference, { bold: true }),
  );
  if (exchange) blocks.push(block.columns('New order', exchange.reference, { bold: true }));
  if (ret.staffName) blocks.push(block.columns('Served by', clip(ret.staffName)));
  blocks.push(block.separator(), block.text('ITEMS RETURNED', { bold: true }));
  for (const l of ret.lines)
    blocks.push(block.columns(`${l.quantity} x ${clip(l.name)}`, minus(l.amountMinor)));
  blocks.push(block.columns('VALUE RETURNED', minus(ret.totalMinor), { bold: true }));
  const byRate = new Map<number, { gross: number; vat: number }>();
  for (const l of ret.lines) {
    const v = byRate.get(l.vatRateBp) ?? { gross: 0, vat: 0 };
    v.gross += l.amountMinor;
    v.vat += l.vatMinor;
    byRate.set(l.vatRateBp, v);
  }
  for (const [rate, v] of [...byRate.entries()].sort((a, b) => b[0] - a[0]))
    blocks.push(block.columns(`VAT ${formatRate(rate)} on ${money(v.gross)}`, minus(v.vat)));
  blocks.push(block.text(`Reason: ${clip(ret.reason)}`));
  if (exchange) {
    blocks.push(block.separator(), block.text('NEW ITEMS', { bold: true }));
    for (const l of exchange.lines)
      blocks.push(block.columns(`${l.quantity} x ${clip(l.name)}`, money(l.lineTotalMinor)));
    blocks.push(block.columns('NEW ITEMS TOTAL', money(exchange.totalMinor), { bold: true }));
    const credit = ret.payouts.find((p) => p.method === 'exchange')?.amountMinor ?? 0;
    blocks.push(block.columns('Paid by items returned', minus(credit)));
    const paidMore = exchange.totalMinor - credit;
    if (paidMore > 0) {
      blocks.push(
        block.columns('DIFFERENCE TO PAY', money(paidMore), { bold: true, size: 'tall' }),
      );
      for (const t of exchange.tenders)
        blocks.push(
          block.columns(
            t.kind === 'cash' ? 'Cash' : `Card${t.cardLast4 ? ` ****${t.cardLast4}` : ''}`,
            money(t.amountMinor),
          ),
        );
      const change = exchange.tenders.reduce((a, t) => a + t.changeMinor, 0);
      if (change > 0) blocks.push(block.columns('CHANGE', money(change), { bold: true }));
    }
  }
  // A card part that did not go through gave nothing back (a manager may have paid it in cash).
  const back = ret.payouts.filter((p) => p.method !== 'exchange' && p.status !== 'failed');
  if (back.length > 0) {
    blocks.push(block.separator());
    const total = back.reduce((a, p) => a + p.amountMinor, 0);
    blocks.push(
      block.columns(exchange ? 'DIFFERENCE BACK' : 'AMOUNT REFUNDED', money(total), {
        bold: true,
        size: 'tall',
      }),
    );
    for (const p of back)
      blocks.push(
        block.columns(
          `${payoutLabel[p.method] ?? p.method}${p.cardLast4 ? ` ****${p.cardLast4}` : ''}`,
          money(p.amountMinor),
        ),
      );
  }
  blocks.push(
    block.separator(),
    block.qr(ret.orderReference, ret.orderReference),
    block.text(shop.footer || 'Thank you', { align: 'center' }),
    block.cut(),
  );
  const what = ret.kind === 'exchange' ? 'Exchange' : 'Return';
  return {
    version: 1,
    kind: 'return',
    title: `${what} ${ret.orderReference}`,
    reference: ret.orderReference,
    createdAt: at,
    blocks,
  };
}
