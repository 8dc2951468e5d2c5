import { TillError } from '../../src-shared/errors';
import type { Db } from '../db/connection';
import { readSetting, writeSetting } from '../platform/key-value';
import { audit } from '../platform/audit';

/** Milliseconds since the epoch; injected by tests. */
export type Clock = () => number;

/** Wrong PINs in a row before a lockout, and the lockouts, longer each time (5, 15, 60 minutes). */
export const MAX_WRONG_PINS = 5;
export const LOCKOUT_STEPS_MS = [5 * 60_000, 15 * 60_000, 60 * 60_000] as const;

/** In `settings` so that a restart does not reset it. */
const KEY = 'staff.pin.lockout';
type Lockout = { wrong: number; level: number; lockedUntil: string | null };

export function readLockout(db: Db): Lockout {
  const v = readSetting(db, KEY) as Partial<Lockout> | undefined;
  return {
    wrong: typeof v?.wrong === 'number' ? v.wrong : 0,
    level: typeof v?.level === 'number' ? v.level : 0,
    lockedUntil: typeof v?.lockedUntil === 'string' ? v.lockedUntil : null,
  };
}

function lockedError(untilMs: number, nowMs: number): TillError {
  const n = Math.max(1, Math.ceil((untilMs - nowMs) / 60_000));
  return new TillError(
    'MANAGER_PIN_LOCKED',
    `Too many wrong PINs — try again in ${n} ${n === 1 ? 'minute' : 'minutes'}.`,
  );
}

/** The lockout end while locked, else null. */
export function lockedUntil(db: Db, now: number): string | null {
  const until = readLockout(db).lockedUntil;
  return until !== null && now < Date.parse(until) ? until : null;
}

/** Throws while every PIN check is locked out. */
export function assertNotLocked(db: Db, now: number): void {
  const until = lockedUntil(db, now);
  if (until !== null) throw lockedError(Date.parse(until), now);
}

/** A right PIN: the count and the escalation start again. */
export function recordRight(db: Db): void {
  const l = readLockout(db);
  if (l.wrong !== 0 || l.level !== 0 || l.lockedUntil !== null)
    writeSetting(db, KEY, { wrong: 0, level: 0, lockedUntil: null } satisfies Lockout);
}

/**
 * A wrong PIN. The fifth in a row locks every PIN check (sign-in and approvals) for 5 minutes,
 * the next five for 15, then 60; throws the lockout when it starts.
 */
export function recordWrong(db: Db, now: number): void {
  const l = readLockout(db);
  const wrong = l.wrong + 1;
  if (wrong < MAX_WRONG_PINS) {
    writeSetting(db, KEY, { ...l, wrong, lockedUntil: null } satisfies Lockout);
    return;
  }
  const step = LOCKOUT_STEPS_MS[Math.min(l.level, LOCKOUT_STEPS_MS.length - 1)] ?? 0;
  const until = new Date(now + step).toISOString();
  db.transaction(() => {
    writeSetting(db, KEY, {
      wrong: 0,
      level: Math.min(l.level + 1, LOCKOUT_STEPS_MS.length - 1),
      lockedUntil: until,
    } satisfies Lockout);
    audit(db, 'till', 'staff.pin-locked', null, { wrongInARow: wrong, lockedUntil: until });
  })();
  throw lockedError(now + step, now);
}
