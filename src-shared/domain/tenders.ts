import type { CurrencyCode } from '../money';
import type { OrderSummary } from './orders';

/** A card taken on another terminal while Dojo was unreachable, as the manager sees it. */
export type ToMatchTender = {
  tenderId: string;
  orderId: string;
  reference: string;
  amountMinor: number;
  currency: CurrencyCode;
  last4: string;
  authCode: string | null;
  createdAt: string;
  /** Who took it. */
  staffName: string | null;
  status: 'to_match' | 'matched';
  /** Dojo's payment intent it was linked to, once matched. */
  paymentIntentId: string | null;
  /** How many times Dojo's record was searched for it. */
  checks: number;
  lastCheckedAt: string | null;
};

/** After a voucher or a card-on-another-terminal tender. */
export type OtherTenderResult = {
  tenderId: string;
  remainingMinor: number;
  orderCompleted: boolean;
  order: OrderSummary;
};

/** One search of Dojo's record for the waiting tenders. */
export type MatchRun = {
  matched: ToMatchTender[];
  /** Still waiting (listed for the manager). */
  open: ToMatchTender[];
  /** Why Dojo could not be searched (unreachable), or null. */
  error: string | null;
  checkedAt: string;
};

/** How close in time Dojo's capture must be to the tender the cashier recorded. */
export const MATCH_WINDOW_MS = 30 * 60_000;

export const receiptChoices = ['print', 'email', 'none'] as const;
export type ReceiptChoice = (typeof receiptChoices)[number];

/** What the "receipt?" question offers for a paid order. */
export type ReceiptOptions = {
  orderId: string;
  /** The till's default (Settings). */
  defaultChoice: ReceiptChoice;
  /** What was chosen for this order (the default until someone chooses). */
  choice: ReceiptChoice;
  chosen: boolean;
  printer: { usable: boolean; reason: string | null };
  /** The customer receipt's print job: waiting, printing, printed, failed, or none. */
  printStatus: 'pending' | 'printing' | 'printed' | 'failed' | null;
  email: { possible: boolean; reason: string | null; sentTo: string | null };
};

export type ReceiptChoiceResult = { message: string; options: ReceiptOptions };
