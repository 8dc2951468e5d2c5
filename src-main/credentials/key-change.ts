import { environmentOf, type CredentialsService } from './credentials.service';
import type { CredentialsStatus } from '../../src-shared/contract';
import { TillError } from '../../src-shared/errors';
import type { Db } from '../db/connection';
import { requireManagerPin } from '../staff/manager-pin';
import { audit } from '../platform/audit';

export type KeyChanges = {
  /** Sets the first key, or replaces one (a replacement needs the manager PIN). */
  set(apiKey: string, managerPin?: string): CredentialsStatus;
  /** Removes the key: the till becomes a training till. Needs the manager PIN. */
  clear(managerPin: string | undefined): CredentialsStatus;
};

/** Card payments and refunds still running, not confirmed, or waiting to go to Dojo. */
function liveMoney(db: Db): { attempts: number; refunds: number } {
  const row = db
    .prepare<[], { attempts: number; refunds: number }>(
      `SELECT (SELECT count(*) FROM payment_attempts WHERE is_final = 0) AS attempts,
              (SELECT count(*) FROM refunds WHERE status IN ('pending', 'queued')) AS refunds`,
    )
    .get();
  return row ?? { attempts: 0, refunds: 0 };
}

/**
 * Changing the Dojo key changes where money goes: without a key the till is a training till whose
 * card payments are approved by the built-in simulator with no money moving. So removing or
 * replacing a key needs the manager PIN, is refused while a card payment or refund is live (its
 * result could then never be fetched with the key it was made with), and leaves an audit row
 * naming the environments — never the key.
 */
export function createKeyChanges(db: Db, credentials: CredentialsService): KeyChanges {
  const refuseWhileLive = () => {
    const live = liveMoney(db);
    if (live.attempts + live.refunds === 0) return;
    const what = [
      live.attempts > 0 ? `${live.attempts} card payment or refund on a terminal` : null,
      live.refunds > 0 ? `${live.refunds} refund waiting to go to Dojo` : null,
    ]
      .filter(Boolean)
      .join(' and ');
    throw new TillError(
      'ATTEMPT_IN_PROGRESS',
      `The Dojo key cannot be changed now: ${what} is not finished. Finish or check it first (it needs the key it was made with).`,
    );
  };
  const approve = (managerPin: string | undefined, doing: string) => {
    if (!managerPin)
      throw new TillError('VALIDATION', `A manager's PIN is needed to ${doing} the Dojo key.`);
    requireManagerPin(db, managerPin);
  };
  return {
    set(apiKey, managerPin) {
      refuseWhileLive();
      const before = credentials.status();
      if (before.configured) approve(managerPin, 'replace');
      const after = credentials.set(apiKey);
      audit(
        db,
        before.configured ? 'manager' : 'till',
        before.configured ? 'credentials.replaced' : 'credentials.set',
        null,
        { from: before.environment, to: environmentOf(credentials.apiKey()) },
      );
      return after;
    },
    clear(managerPin) {
      refuseWhileLive();
      const before = credentials.status();
      if (!before.configured)
        throw new TillError('VALIDATION', 'No Dojo key is set: this till is already in training.');
      approve(managerPin, 'remove');
      const after = credentials.clear();
      audit(db, 'manager', 'credentials.removed', null, {
        from: before.environment,
        to: after.environment,
      });
      return after;
    },
  };
}
