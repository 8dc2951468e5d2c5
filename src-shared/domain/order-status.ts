/**
 * Order lifecycle. `open`: committed, being paid; `parked`: basket put aside;
 * `awaiting_card`: parked until Dojo is reachable again; `paid`: fully tendered; `voided`.
 */
export const orderStatuses = ['open', 'parked', 'awaiting_card', 'paid', 'voided'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const tenderKinds = ['cash', 'card'] as const;
export type TenderKind = (typeof tenderKinds)[number];
