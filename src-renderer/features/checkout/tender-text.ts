import type { TenderView } from '../../../src-shared/domain/orders';

/** One tender in words, for the checkout, the sale-complete screen and the order's detail. */
export function tenderText(t: TenderView, money: (minor: number) => string): string {
  switch (t.kind) {
    case 'cash':
      return `Cash ${money(t.amountMinor)}${t.tenderedMinor ? ` (handed ${money(t.tenderedMinor)})` : ''}`;
    case 'voucher':
      return `Voucher ${money(t.amountMinor)} · ref ${t.reference ?? '-'}`;
    case 'card_other':
      return `Card on another terminal ${money(t.amountMinor)} · ending ${t.cardLast4 ?? '????'}${t.authCode ? ` · auth ${t.authCode}` : ''} · ${t.match === 'matched' ? 'matched with Dojo' : 'to match with Dojo'}`;
    case 'card':
      return `Card ${money(t.amountMinor)} · ${t.cardType ?? 'card'}${t.cardLast4 ? ` ending ${t.cardLast4}` : ''}${t.authCode ? ` · auth ${t.authCode}` : ''}${t.tipMinor > 0 ? ` · tip ${money(t.tipMinor)} (apart from the sale)` : ''}`;
  }
}
