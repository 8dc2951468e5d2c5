import { randomUUID } from 'node:crypto';
import type { Db } from '../../../src-main/db/connection';
import type { Settings } from '../../../src-shared/contract/settings.contract';
import { dojoCustomerReceipt, dojoMerchantReceipt } from './fixtures';

export const baseSettings = (printer: string, over: Partial<Settings> = {}): Settings => ({
  shopName: 'The Corner Café',
  shopAddress: '12 High Street, Bristol, BS1 4DJ',
  vatNumber: 'GB123456789',
  receiptFooter: 'Thank you! Prices include VAT.',
  tillName: 'Till 1',
  currency: 'GBP',
  softwareHouseId: 'softwareHouse1',
  resellerId: 'reseller1',
  defaultTerminalId: null,
  printer,
  printerType: 'epson',
  paperWidth: 80,
  updateMode: 'automatic',
  updatePinnedVersion: null,
  backupKeep: 7,
  receiptDefault: 'print',
  tipOffer: false,
  cashRounding: 'none',
  scaleBarcodes: [
    { prefix: '21', kind: 'weight' },
    { prefix: '22', kind: 'price' },
  ],
  ...over,
});

export type SeedLine = {
  name: string;
  qty: number;
  unit: number;
  vatBp: number;
  lineDiscount?: number;
};

/** A paid order inserted straight with SQL, as the orders and payments features would leave it. */
export function seedPaidOrder(
  db: Db,
  o: {
    reference: string;
    lines: SeedLine[];
    pay: 'cash' | 'card';
    cashHanded?: number;
    signature?: boolean;
    completedAt?: string;
    currency?: 'GBP' | 'EUR';
    /** Card only: Dojo's terminal id (default `tm-counter-1`) and its TID (default `28340001`; null = not recorded). */
    terminalId?: string;
    terminalTid?: string | null;
  },
): string {
  const terminalId = o.terminalId ?? 'tm-counter-1';
  const terminalTid = o.terminalTid === undefined ? '28340001' : o.terminalTid;
  const id = randomUUID();
  const at = o.completedAt ?? new Date().toISOString();
  const priced = o.lines.map((l) => {
    const total = l.qty * l.unit - (l.lineDiscount ?? 0);
    return {
      ...l,
      total,
      vat: l.vatBp === 0 ? 0 : Math.round((total * l.vatBp) / (10_000 + l.vatBp)),
    };
  });
  const subtotal = o.lines.reduce((s, l) => s + l.qty * l.unit, 0);
  const total = priced.reduce((s, l) => s + l.total, 0);
  const vat = priced.reduce((s, l) => s + l.vat, 0);
  const handed = o.cashHanded ?? total;
  db.prepare(
    `INSERT INTO orders (id, reference, status, currency, subtotal_minor, discount_minor, vat_minor, total_minor, paid_minor, change_minor, till_id, created_at, updated_at, completed_at)
     VALUES (?, ?, 'paid', ?, ?, ?, ?, ?, ?, ?, 'till-1', ?, ?, ?)`,
  ).run(
    id,
    o.reference,
    o.currency ?? 'GBP',
    subtotal,
    subtotal - total,
    vat,
    total,
    total,
    o.pay === 'cash' ? handed - total : 0,
    at,
    at,
    at,
  );
  priced.forEach((l, i) =>
    db
      .prepare(
        `INSERT INTO order_lines (order_id, position, name, quantity, unit_price_minor, discount_minor, vat_rate_bp, line_total_minor, vat_minor, line_discount_minor)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        i + 1,
        l.name,
        l.qty,
        l.unit,
        l.lineDiscount ?? 0,
        l.vatBp,
        l.total,
        l.vat,
        l.lineDiscount ?? 0,
      ),
  );
  let attemptId: string | null = null;
  if (o.pay === 'card') {
    attemptId = randomUUID();
    db.prepare(
      `INSERT INTO payment_attempts (id, order_id, kind, amount_minor, currency, terminal_id, terminal_tid, payment_intent_id, session_id, state, is_final, card,
                                     customer_receipt, merchant_receipt, signature_taken, created_at, updated_at)
       VALUES (?, ?, 'sale', ?, 'GBP', ?, ?, 'pi_1', 'ts_1', 'captured', 1, ?, ?, ?, ?, ?, ?)`,
    ).run(
      attemptId,
      id,
      total,
      terminalId,
      terminalTid,
      JSON.stringify({ cardNumber: '************0226', cardType: 'VISA' }),
      JSON.stringify({ customerReceipt: dojoCustomerReceipt }),
      JSON.stringify(dojoMerchantReceipt),
      o.signature ? 1 : 0,
      at,
      at,
    );
  }
  db.prepare(
    `INSERT INTO tenders (id, order_id, kind, amount_minor, tendered_minor, change_minor, attempt_id, terminal_id, card_type, card_last4, auth_code, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    randomUUID(),
    id,
    o.pay,
    total,
    o.pay === 'cash' ? handed : null,
    o.pay === 'cash' ? handed - total : 0,
    attemptId,
    o.pay === 'card' ? terminalId : null,
    o.pay === 'card' ? 'VISA' : null,
    o.pay === 'card' ? '0226' : null,
    o.pay === 'card' ? '282994' : null,
    at,
  );
  return id;
}

export function seedRefund(
  db: Db,
  orderId: string,
  amountMinor: number,
  at = new Date().toISOString(),
): string {
  const id = randomUUID();
  db.prepare(
    `INSERT INTO refunds (id, order_id, kind, amount_minor, currency, status, reason, created_at, updated_at)
     VALUES (?, ?, 'server', ?, 'GBP', 'completed', 'Coffee was cold', ?, ?)`,
  ).run(id, orderId, amountMinor, at, at);
  return id;
}

/** A TCP port nobody listens on (yet). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
