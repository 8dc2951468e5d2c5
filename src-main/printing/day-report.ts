import {
  block,
  type EndOfDaySummary,
  type ReceiptBlock,
  type ReceiptDocument,
} from '../../src-shared/domain/receipt';
import { formatMoney } from '../../src-shared/money';
import { formatDateTime, formatRate, shopHeader, type ShopInfo } from './receipt-model';

/**
 * One line of "Card by terminal". `terminalTid` is the terminal's TID as recorded with the payment
 * attempts (null when unknown, absent in summaries stored before the till recorded TIDs).
 */
export type CardByTerminal = EndOfDaySummary['cardByTerminal'][number] & {
  terminalTid?: string | null;
};
export type DaySummary = EndOfDaySummary & { cardByTerminal: CardByTerminal[] };

/** How the report names a terminal: by TID, as people know it; by Dojo's id when the TID is unknown. */
export const terminalLabel = (t: CardByTerminal): string =>
  t.terminalTid ? `TID ${t.terminalTid}` : t.terminalId;

/** The end-of-day report as a receipt document: an X report while open, a Z report once closed. */
export function buildDayReport(
  shop: ShopInfo,
  s: DaySummary,
  closure: { id: string; closedBy: string } | null,
): ReceiptDocument {
  const money = (m: number) => formatMoney(m, s.currency);
  // A deduction prints with a minus sign; nothing deducted prints as a plain zero, not "-£0.00".
  const deduction = (m: number) => (m > 0 ? `-${money(m)}` : money(0));
  const when = (iso: string | null) => {
    if (!iso) return 'first sale';
    const d = formatDateTime(iso, shop.timeZone);
    return `${d.date} ${d.time}`;
  };
  const blocks: ReceiptBlock[] = [
    ...shopHeader(shop).filter((b) => b.type !== 'logo'),
    block.separator('double'),
    block.text(closure ? 'Z REPORT - DAY CLOSED' : 'X REPORT - DAY OPEN', {
      align: 'center',
      bold: true,
      size: 'tall',
    }),
    block.columns('From', when(s.periodStart)),
    block.columns('To', when(s.periodEnd)),
    block.columns('Till', shop.tillName || '-'),
  ];
  if (closure) blocks.push(block.columns('Closed by', closure.closedBy));
  blocks.push(
    block.separator(),
    block.columns('Orders', String(s.ordersCount), { bold: true }),
    block.columns('Gross sales', money(s.grossSalesMinor)),
    block.columns('Discounts', deduction(s.discountsMinor)),
    block.columns('Sales', money(s.salesMinor), { bold: true }),
    block.columns(`Refunds (${s.refundsCount})`, deduction(s.refundsMinor)),
    block.columns('NET TAKINGS', money(s.netMinor), { bold: true, size: 'tall' }),
    block.separator(),
    block.text('VAT by rate', { bold: true }),
  );
  if (s.vatByRate.length === 0) blocks.push(block.text('  no sales'));
  for (const v of s.vatByRate)
    blocks.push(
      block.columns(`  ${formatRate(v.rateBp)} on ${money(v.grossMinor)}`, money(v.vatMinor)),
    );
  blocks.push(
    block.columns('  Total VAT', money(s.vatByRate.reduce((a, v) => a + v.vatMinor, 0))),
    block.separator(),
    block.text('Takings by tender', { bold: true }),
  );
  if (s.tenders.length === 0) blocks.push(block.text('  none'));
  for (const t of s.tenders)
    blocks.push(
      block.columns(`  ${t.kind === 'cash' ? 'Cash' : 'Card'} (${t.count})`, money(t.amountMinor)),
    );
  if (s.cardByTerminal.length) {
    blocks.push(block.separator(), block.text('Card by terminal', { bold: true }));
    for (const t of s.cardByTerminal)
      blocks.push(block.columns(`  ${terminalLabel(t)} (${t.count})`, money(t.amountMinor)));
  }
  blocks.push(block.separator('double'));
  blocks.push(
    block.text(
      closure
        ? `Closure ${closure.id.slice(0, 8)} - counters reset`
        : 'Not closed: counters keep running',
      { align: 'center' },
    ),
  );
  blocks.push(block.cut());
  return {
    version: 1,
    kind: closure ? 'z-report' : 'x-report',
    title: closure ? `Z report ${when(s.periodEnd)}` : `X report ${when(s.periodEnd)}`,
    reference: closure?.id ?? null,
    createdAt: s.periodEnd,
    blocks,
  };
}
