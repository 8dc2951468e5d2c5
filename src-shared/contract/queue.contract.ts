import { z } from 'zod';
import { channel } from './define';

/** One item of the durable work queue (today: refunds sent to Dojo), as the operator sees it. */
export type QueueItemView = {
  id: number;
  /** Plain words: what this work is (e.g. "Refund of £7.00 to the card, order T1-…"). */
  what: string;
  /** `pending`: waiting or retrying; `dead`: stopped trying, needs a person; `discarded`: given up. */
  status: 'pending' | 'dead' | 'discarded';
  attempts: number;
  /** When the next try is due (pending only). */
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  discardedReason: string | null;
  discardedBy: string | null;
  discardedAt: string | null;
};

const id = z.number().int().positive();

export const queueChannels = {
  'queue:list': channel<QueueItemView[]>()(z.undefined()),
  /** A dead item gets a fresh set of tries (same idempotency key: it can never take effect twice). */
  'queue:retry': channel<QueueItemView>()(z.object({ id }).strict()),
  /** Gives a dead item up for good; a manager's PIN and a reason are required and journalled. */
  'queue:discard': channel<QueueItemView>()(
    z
      .object({
        id,
        reason: z
          .string()
          .trim()
          .min(3, 'Say why it is discarded (at least 3 characters)')
          .max(200, 'The reason can be at most 200 characters'),
        managerPin: z.string().max(8, 'A manager PIN is 4 to 8 digits'),
      })
      .strict(),
  ),
} as const;
