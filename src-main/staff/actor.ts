import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from '../db/connection';

/** Who a piece of work is done for: the person signed in, and who approved it (an override). */
export type Actor = { staffId: string; approvedBy: string | null };

const storage = new AsyncLocalStorage<Actor>();

/** Runs `fn` (and everything it awaits) on behalf of `actor`. */
export const runAs = <T>(actor: Actor | null, fn: () => T): T =>
  actor ? storage.run(actor, fn) : storage.exit(fn);

export const currentActor = (): Actor | null => storage.getStore() ?? null;

/**
 * Names on the money without touching every INSERT: the connection gets two SQL functions that
 * read the request's actor, and temporary triggers (this connection only, so tests that open a
 * bare database are unaffected) fill `staff_id`/`approved_by` on rows written without one. A
 * tender takes the staff of the payment attempt behind it, so a card sale captured after the
 * cashier signed out still names the person who started it.
 */
export function installActorTriggers(db: Db): void {
  db.function('current_staff', { deterministic: false }, () => currentActor()?.staffId ?? null);
  db.function(
    'current_approver',
    { deterministic: false },
    () => currentActor()?.approvedBy ?? null,
  );
  const stamp = (table: string, key: string, set: string, always = false) => `
    CREATE TEMP TRIGGER IF NOT EXISTS ${table}_actor AFTER INSERT ON main.${table}
    WHEN NEW.staff_id IS NULL${always ? '' : ' AND current_staff() IS NOT NULL'}
    BEGIN UPDATE main.${table} SET ${set} WHERE ${key} = NEW.${key}; END;`;
  db.exec(
    [
      stamp('orders', 'id', 'staff_id = current_staff()'),
      stamp(
        'tenders',
        'id',
        `staff_id = coalesce((SELECT a.staff_id FROM main.payment_attempts a WHERE a.id = NEW.attempt_id), current_staff())`,
        true,
      ),
      stamp(
        'refunds',
        'id',
        'staff_id = current_staff(), approved_by = coalesce(NEW.approved_by, current_approver())',
      ),
      stamp(
        'payment_attempts',
        'id',
        'staff_id = current_staff(), approved_by = current_approver()',
      ),
      stamp('audit_log', 'id', 'staff_id = current_staff(), approved_by = current_approver()'),
    ].join('\n'),
  );
}
