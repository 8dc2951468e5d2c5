/** One card payment or refund on either side of the three-way close. */
export type DojoCheckItem = {
  /** Dojo's payment intent id. */
  paymentIntentId: string;
  /** The till's order reference, or Dojo's reference when the till has none. */
  reference: string;
  kind: 'sale' | 'refund';
  amountMinor: number;
  /** When it was captured or refunded. */
  at: string;
  /** Masked, e.g. `************1096`; null when unknown. */
  card: string | null;
};

export type DojoCheckResult = {
  matched: { count: number; amountMinor: number };
  /** Captured at Dojo, but the till has no record of it. */
  dojoOnly: DojoCheckItem[];
  /** Recorded by the till, but not captured (or not refunded) at Dojo. */
  tillOnly: DojoCheckItem[];
  /**
   * Cards taken on another terminal while Dojo was down that no capture in Dojo's record matched
   * yet (absent in checks stored before the till had them).
   */
  toMatch?: DojoCheckItem[];
  checkedAt: string;
};

/** The close's comparison of the till's card takings with Dojo's own record of the day. */
export type DojoCheck = {
  closureId: string;
  windowStart: string;
  windowEnd: string;
  status: 'pending' | 'completed';
  /** Why it is still pending (Dojo could not be reached). */
  lastError: string | null;
  result: DojoCheckResult | null;
};
