/**
 * Order lifecycle. `open`: committed, being paid; `parked`: basket put aside;
 * `awaiting_card`: parked until Dojo is reachable again; `paid`: fully tendered; `voided`.
 */
export const orderStatuses = ['open', 'parked', 'awaiting_card', 'paid', 'voided'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/**
 * `card_other`: a card taken on a terminal the till does not drive, while Dojo was unreachable
 * (matched to Dojo's record later); `voucher`: a gift voucher or other tender, with a reference.
 */
export const tenderKinds = ['cash', 'card', 'card_other', 'voucher'] as const;
export type TenderKind = (typeof tenderKinds)[number];

/** What people call each tender kind (reports, order detail). */
export const tenderKindLabels: Record<TenderKind, string> = {
  cash: 'Cash',
  card: 'Card',
  card_other: 'Card, other terminal',
  voucher: 'Voucher / other',
};
