/**
 * The tips feature's public face for other features. A card sale's tip is written in the
 * transaction that applies its tender (the orders port's in-transaction callback), so payments
 * calls `recordTip` there; the report figures and the order's tips stay behind `tips.repo`.
 */
export { recordTip, tipOfIntent } from './tips.repo';
