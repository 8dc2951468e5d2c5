import {
  block,
  type EndOfDaySummary,
  type ReceiptBlock,
  type ReceiptDocument,
  type TipsSummary,
} from '../../src-shared/domain/receipt';
import { tenderKindLabels } from '../../src-shared/domain/order-status';
import type { DojoCheck, DojoCheckItem } from '../../src-shared/domain/dojo-check';
import { formatMoney } from '../../src-shared/money';
import {
  formatDateTime,
  formatRate,
  shopHeader,
  terminalLabel,
  type ShopInfo,
} from './receipt-model';

/**
 * One line of "Card by terminal". `terminalTid` is the terminal's TID as recorded with the payment
 * attempts (null when unknown, absent in summaries stored before the till recorded TIDs).
 */
export type CardByTerminal = EndOfDaySummary['cardByTerminal'][number] & {
  terminalTid?: string | null;
};
export type DaySummary = EndOfDaySummary & { cardByTerminal: CardByTerminal[] };

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
    block.columns('Till', shop.shopTillName ?? (shop.tillName || '-')),
  ];
  if (closure) blocks.push(block.columns('Closed by', closure.closedBy));
  blocks.push(
    block.separator(),
    block.columns('Orders', String(s.ordersCount), { bold: true }),
    block.columns('Gross sales', money(s.grossSalesMinor)),
    block.columns('Discounts', deduction(s.discountsMinor)),
    block.columns('Sales', money(s.salesMinor), { bold: true }),
    block.columns(`Card refunds (${s.refundsCount})`, deduction(s.refundsMinor)),
  );
  // Every way money went back comes off net takings (docs/RETURNS.md "Day report"). Reversals
  // (same-day, whole card sale) are shown apart from refunds; cash refunds and exchange credit
  // were not deducted before the till kept them, so older summaries print without those lines.
  if (s.reversalsCount !== undefined)
    blocks.push(block.columns(`Reversals (${s.reversalsCount})`, deduction(s.reversalsMinor ?? 0)));
  if (s.cashRefundsCount !== undefined)
    blocks.push(
      block.columns(`Cash refunds (${s.cashRefundsCount})`, deduction(s.cashRefundsMinor ?? 0)),
    );
  if (s.exchangeCreditCount)
    blocks.push(
      block.columns(
        `Exchange credit (${s.exchangeCreditCount})`,
        deduction(s.exchangeCreditMinor ?? 0),
      ),
    );
  blocks.push(block.columns('NET TAKINGS', money(s.netMinor), { bold: true, size: 'tall' }));
  if (s.returnsCount)
    blocks.push(
      block.columns(`Items returned (${s.returnsCount})`, money(s.returnsMinor ?? 0)),
      block.text('  (paid back as cash, card refunds or exchange credit)'),
    );
  blocks.push(block.separator(), block.text('VAT by rate', { bold: true }));
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
    blocks.push(block.columns(`  ${tenderKindLabels[t.kind]} (${t.count})`, money(t.amountMinor)));
  // Cash rounding on its own line: cash takings + rounding = what the sales put in the drawer.
  if (s.cash?.cashRoundedCount)
    blocks.push(
      block.columns(
        `  Cash rounding (${s.cash.cashRoundedCount})`,
        signed(s.cash.cashRoundingMinor ?? 0, money),
      ),
    );
  if (s.toMatch && s.toMatch.count > 0)
    blocks.push(
      block.columns(`  Card still to match (${s.toMatch.count})`, money(s.toMatch.amountMinor)),
    );
  if (s.netByTender) {
    blocks.push(block.text('Net by tender (less money back)', { bold: true }));
    if (s.netByTender.length === 0) blocks.push(block.text('  none'));
    for (const t of s.netByTender)
      blocks.push(
        block.columns(`  ${tenderKindLabels[t.kind]}`, signedMoney(t.amountMinor, money)),
      );
  }
  if (s.cardByTerminal.length) {
    blocks.push(block.separator(), block.text('Card by terminal', { bold: true }));
    for (const t of s.cardByTerminal)
      blocks.push(block.columns(`  ${terminalLabel(t)} (${t.count})`, money(t.amountMinor)));
  }
  if (s.tips) blocks.push(...tipBlocks(s.tips, money));
  if (s.cash) blocks.push(...cashBlocks(s, money, deduction));
  if (s.dojoCheck !== undefined) blocks.push(...dojoCheckBlocks(s.dojoCheck, money, when));
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

type Fmt = (m: number) => string;

/** A figure that may be below zero (more given back than taken through a tender today). */
const signedMoney = (m: number, money: Fmt) => (m < 0 ? `-${money(-m)}` : money(m));

/** Tips are not takings: their own section, per terminal and per person. */
function tipBlocks(tips: TipsSummary, money: Fmt): ReceiptBlock[] {
  const out: ReceiptBlock[] = [
    block.separator(),
    block.columns(`Tips (${tips.count})`, money(tips.amountMinor), { bold: true }),
  ];
  if (tips.count === 0) return out;
  out.push(block.text('  by terminal'));
  for (const t of tips.byTerminal)
    out.push(block.columns(`    ${terminalLabel(t)} (${t.count})`, money(t.amountMinor)));
  out.push(block.text('  by staff'));
  for (const p of tips.byStaff)
    out.push(block.columns(`    ${p.name} (${p.count})`, money(p.amountMinor)));
  return out;
}

const signed = (m: number, money: Fmt) =>
  m < 0 ? `-${money(-m)}` : m > 0 ? `+${money(m)}` : money(0);

/** The drawer: float to expected cash, the count and over/short, the movements, per person. */
function cashBlocks(s: DaySummary, money: Fmt, deduction: Fmt): ReceiptBlock[] {
  const c = s.cash;
  if (!c) return [];
  const out: ReceiptBlock[] = [
    block.separator(),
    block.text('Cash drawer', { bold: true }),
    block.columns('  Float', money(c.floatMinor)),
    block.columns('  Cash taken', money(c.cashTakenMinor)),
    block.columns('  Change given', deduction(c.changeMinor)),
    block.columns('  Cash refunds', deduction(c.cashRefundedMinor)),
    block.columns('  Pay-ins', money(c.payInsMinor)),
    block.columns('  Pay-outs', deduction(c.payOutsMinor)),
    block.columns('EXPECTED CASH', money(c.expectedMinor), { bold: true }),
  ];
  if (s.count) {
    out.push(
      block.columns('COUNTED CASH', money(s.count.countedMinor), { bold: true }),
      block.columns(
        s.count.overShortMinor < 0 ? 'SHORT' : s.count.overShortMinor > 0 ? 'OVER' : 'OVER/SHORT',
        signed(s.count.overShortMinor, money),
        { bold: true, size: 'tall' },
      ),
    );
  }
  const moves = c.movements.filter((m) => m.kind !== 'no-sale');
  if (moves.length || c.noSales) {
    out.push(block.text('Movements', { bold: true }));
    for (const m of moves) {
      const label =
        m.kind === 'pay-in' ? 'Pay-in' : m.kind === 'pay-out' ? 'Pay-out' : 'Cash refund';
      const why = [m.reason, m.note].filter(Boolean).join(': ');
      out.push(
        block.columns(
          `  ${label}${why ? ` ${why}` : ''}`.slice(0, 40),
          m.kind === 'pay-in' ? money(m.amountMinor) : deduction(m.amountMinor),
        ),
      );
      if (m.staffName) out.push(block.text(`    by ${m.staffName}`));
    }
    out.push(block.columns('  No-sale drawer opens', String(c.noSales)));
  }
  if (c.byStaff.length) {
    out.push(block.separator(), block.text('Per staff member', { bold: true }));
    for (const p of c.byStaff) {
      out.push(
        block.columns(
          `  ${p.name} (${p.orders})`,
          money(p.cashMinor + p.cardMinor - p.refundsMinor),
          { bold: true },
        ),
      );
      out.push(block.columns('    cash / card', `${money(p.cashMinor)} / ${money(p.cardMinor)}`));
      if (p.refundsMinor) out.push(block.columns('    refunds', deduction(p.refundsMinor)));
    }
  }
  return out;
}

/** The three-way card check: matched, Dojo only, till only; or pending while Dojo is away. */
export function dojoCheckBlocks(
  check: DojoCheck | null,
  money: Fmt,
  when: (iso: string | null) => string,
): ReceiptBlock[] {
  const out: ReceiptBlock[] = [
    block.separator(),
    block.text('Card check with Dojo', { bold: true }),
  ];
  if (!check) return [...out, block.text('  not run')];
  if (check.status === 'pending' || !check.result)
    return [
      ...out,
      block.text('  PENDING: Dojo could not be reached.', { bold: true }),
      block.text('  It runs when Dojo is back; see Reports.'),
    ];
  const r = check.result;
  const item = (i: DojoCheckItem): ReceiptBlock[] => [
    block.columns(
      `  ${i.reference}`.slice(0, 30),
      (i.kind === 'refund' ? '-' : '') + money(i.amountMinor),
    ),
    block.text(`    ${when(i.at)}${i.card ? ` ${i.card.slice(-8)}` : ''}`),
  ];
  out.push(block.columns(`  Matched (${r.matched.count})`, money(r.matched.amountMinor)));
  out.push(block.columns(`  In Dojo, not in till (${r.dojoOnly.length})`, ''));
  for (const i of r.dojoOnly) out.push(...item(i));
  out.push(block.columns(`  In till, not at Dojo (${r.tillOnly.length})`, ''));
  for (const i of r.tillOnly) out.push(...item(i));
  if (r.toMatch?.length) {
    out.push(block.columns(`  Other terminal, to match (${r.toMatch.length})`, ''));
    for (const i of r.toMatch) out.push(...item(i));
  }
  return out;
}

/** The three-way check on its own, to print from Reports once a pending check has run. */
export function buildDojoCheckReport(
  shop: ShopInfo,
  check: DojoCheck,
  currency: 'GBP' | 'EUR',
): ReceiptDocument {
  const money = (m: number) => formatMoney(m, currency);
  const when = (iso: string | null) => {
    if (!iso) return '-';
    const d = formatDateTime(iso, shop.timeZone);
    return `${d.date} ${d.time}`;
  };
  return {
    version: 1,
    kind: 'x-report',
    title: `Card check with Dojo ${when(check.windowEnd)}`,
    reference: check.closureId,
    createdAt: check.result?.checkedAt ?? check.windowEnd,
    blocks: [
      ...shopHeader(shop).filter((b) => b.type !== 'logo'),
      block.separator('double'),
      block.text('CARD CHECK WITH DOJO', { align: 'center', bold: true, size: 'tall' }),
      block.columns('From', when(check.windowStart)),
      block.columns('To', when(check.windowEnd)),
      ...dojoCheckBlocks(check, money, when),
      block.separator('double'),
      block.cut(),
    ],
  };
}
