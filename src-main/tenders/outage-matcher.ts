import {
  MATCH_WINDOW_MS,
  type MatchRun,
  type ToMatchTender,
} from '../../src-shared/domain/tenders';
import type { Db } from '../db/connection';
import type { DojoClient } from '../dojo/dojo-client';
import type { DojoPaymentIntent } from '../dojo/dojo-schemas';
import { dojoDay } from '../cash/dojo-check';
import { maskedCard } from '../payments/payments-context';
import { claimedIntents, markChecked, markMatched, openMatches } from './tender-matches.repo';

const TAKEN = new Set(['Captured', 'Refunded']);

const whenTaken = (pi: DojoPaymentIntent): number =>
  Date.parse(pi.paymentDetails?.transactionDateTime ?? pi.createdAt ?? '');

type Fit = { pi: DojoPaymentIntent; sameCard: boolean; gapMs: number };

/**
 * Dojo's captures that could be this tender: same amount, taken within MATCH_WINDOW_MS of when the
 * cashier recorded it, and, where Dojo gives them, the same last four digits and auth code.
 */
function fitsFor(t: ToMatchTender, candidates: DojoPaymentIntent[]): Fit[] {
  const at = Date.parse(t.createdAt);
  const out: Fit[] = [];
  for (const pi of candidates) {
    const amounts = [pi.amount?.value, pi.totalAmount?.value];
    if (!amounts.includes(t.amountMinor)) continue;
    const gapMs = Math.abs(whenTaken(pi) - at);
    if (!(gapMs <= MATCH_WINDOW_MS)) continue;
    const card = maskedCard(pi.paymentDetails);
    if (card?.last4 && card.last4 !== t.last4) continue;
    if (t.authCode && card?.authCode && card.authCode.toUpperCase() !== t.authCode.toUpperCase())
      continue;
    out.push({ pi, sameCard: card?.last4 === t.last4, gapMs });
  }
  // Same card first, then the closest in time.
  return out.sort((a, b) => Number(b.sameCard) - Number(a.sameCard) || a.gapMs - b.gapMs);
}

/**
 * Searches Dojo's record (`POST /payment-intents/search`, as the three-way close does) for every
 * card taken on another terminal that still waits, and links each to exactly one capture no other
 * tender or sale stands for. Two equally good captures are left for the manager rather than guessed.
 */
export async function matchWaitingTenders(db: Db, dojo: DojoClient): Promise<MatchRun> {
  const checkedAt = new Date().toISOString();
  const waiting = openMatches(db);
  if (waiting.length === 0) return { matched: [], open: [], error: null, checkedAt };
  const times = waiting.map((t) => Date.parse(t.createdAt));
  const start = new Date(Math.min(...times) - MATCH_WINDOW_MS).toISOString();
  const end = new Date(Math.max(...times) + MATCH_WINDOW_MS).toISOString();
  let found: DojoPaymentIntent[];
  try {
    found = await dojoDay(dojo, start, end);
  } catch (error) {
    return {
      matched: [],
      open: waiting,
      error: `Dojo's record could not be searched: ${error instanceof Error ? error.message : String(error)}`,
      checkedAt,
    };
  }
  const claimed = claimedIntents(db);
  let candidates = found.filter((pi) => TAKEN.has(pi.status) && !claimed.has(pi.id));
  const matched: ToMatchTender[] = [];
  for (const t of waiting) {
    const [best, next] = fitsFor(t, candidates);
    const clear =
      best !== undefined &&
      (next === undefined || next.sameCard !== best.sameCard || next.gapMs !== best.gapMs);
    if (best && clear && markMatched(db, t.tenderId, best.pi.id)) {
      matched.push({ ...t, status: 'matched', paymentIntentId: best.pi.id });
      candidates = candidates.filter((pi) => pi.id !== best.pi.id);
    } else markChecked(db, t.tenderId, checkedAt);
  }
  return { matched, open: openMatches(db), error: null, checkedAt };
}
