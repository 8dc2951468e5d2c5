import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { TillError } from '../../src-shared/errors';
import type { Db } from '../db/connection';
import { audit, readSetting, writeSetting } from '../settings/settings.repo';

/** Stored in `settings` under this key: a salted scrypt hash, never the PIN. */
const KEY = 'manager.pin';
/** Wrong PINs in a row and the lockout, in `settings` so that a restart does not reset them. */
const LOCKOUT_KEY = 'manager.pin.lockout';
export const MAX_WRONG_PINS = 5;
export const PIN_LOCKOUT_MS = 5 * 60_000;

/** Milliseconds since the epoch; injected by tests. */
export type Clock = () => number;
const PIN = /^\d{4,8}$/;
const PARAMS = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

type StoredPin = { algo: 'scrypt'; N: number; r: number; p: number; salt: string; hash: string };

function stored(db: Db): StoredPin | null {
  const value = readSetting(db, KEY);
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<StoredPin>;
  if (
    v.algo !== 'scrypt' ||
    typeof v.salt !== 'string' ||
    typeof v.hash !== 'string' ||
    !v.N ||
    !v.r ||
    !v.p
  )
    return null;
  return v as StoredPin;
}

const derive = (pin: string, salt: Buffer, p: Pick<StoredPin, 'N' | 'r' | 'p'>, keylen: number) =>
  scryptSync(pin, salt, keylen, { N: p.N, r: p.r, p: p.p, maxmem: 64 * 1024 * 1024 });

export function isManagerPinSet(db: Db): boolean {
  return stored(db) !== null;
}

type Lockout = { wrong: number; lockedUntil: string | null };

function lockout(db: Db): Lockout {
  const value = readSetting(db, LOCKOUT_KEY);
  if (!value || typeof value !== 'object') return { wrong: 0, lockedUntil: null };
  const v = value as Partial<Lockout>;
  return {
    wrong: typeof v.wrong === 'number' ? v.wrong : 0,
    lockedUntil: typeof v.lockedUntil === 'string' ? v.lockedUntil : null,
  };
}

const minutesLeft = (untilMs: number, nowMs: number) =>
  Math.max(1, Math.ceil((untilMs - nowMs) / 60_000));

function lockedError(untilMs: number, nowMs: number): TillError {
  const n = minutesLeft(untilMs, nowMs);
  return new TillError(
    'MANAGER_PIN_LOCKED',
    `Too many wrong PINs — try again in ${n} ${n === 1 ? 'minute' : 'minutes'}.`,
    { retryable: false },
  );
}

/** Throws while the PIN is locked out; an expired lockout is forgotten. */
function assertNotLocked(db: Db, now: number): void {
  const until = lockout(db).lockedUntil;
  if (until === null) return;
  const untilMs = Date.parse(until);
  if (Number.isFinite(untilMs) && now < untilMs) throw lockedError(untilMs, now);
  writeSetting(db, LOCKOUT_KEY, { wrong: 0, lockedUntil: null } satisfies Lockout);
}

/** Counts a wrong PIN; the fifth in a row locks every PIN check for five minutes. */
function recordWrong(db: Db, now: number): void {
  const wrong = lockout(db).wrong + 1;
  if (wrong < MAX_WRONG_PINS) {
    writeSetting(db, LOCKOUT_KEY, { wrong, lockedUntil: null } satisfies Lockout);
    return;
  }
  const lockedUntil = new Date(now + PIN_LOCKOUT_MS).toISOString();
  db.transaction(() => {
    writeSetting(db, LOCKOUT_KEY, { wrong: 0, lockedUntil } satisfies Lockout);
    audit(db, 'manager', 'manager.pin-locked', null, { wrongInARow: wrong, lockedUntil });
  })();
}

/**
 * Checks a manager PIN. After five wrong PINs in a row every check is refused for five minutes
 * (`MANAGER_PIN_LOCKED`, saying how long; not retryable: retrying at once cannot help); a right
 * PIN resets the count. A wrong PIN returns false (callers raise `MANAGER_PIN_INVALID`).
 */
export function verifyManagerPin(db: Db, pin: string, clock: Clock = Date.now): boolean {
  const s = stored(db);
  if (!s) return false;
  const now = clock();
  assertNotLocked(db, now);
  let ok = false;
  if (typeof pin === 'string' && PIN.test(pin)) {
    const expected = Buffer.from(s.hash, 'base64');
    const actual = derive(pin, Buffer.from(s.salt, 'base64'), s, expected.length);
    ok = actual.length === expected.length && timingSafeEqual(actual, expected);
  }
  if (ok) {
    if (lockout(db).wrong !== 0)
      writeSetting(db, LOCKOUT_KEY, { wrong: 0, lockedUntil: null } satisfies Lockout);
    return true;
  }
  recordWrong(db, now);
  const until = lockout(db).lockedUntil;
  if (until !== null) throw lockedError(Date.parse(until), now);
  return false;
}

/** Sets or changes the manager PIN; changing it needs the current one. */
export function setManagerPin(
  db: Db,
  newPin: string,
  currentPin?: string,
  clock: Clock = Date.now,
): void {
  if (!PIN.test(newPin)) throw new TillError('VALIDATION', 'A manager PIN is 4 to 8 digits.');
  const existing = isManagerPinSet(db);
  if (existing && (currentPin === undefined || !verifyManagerPin(db, currentPin, clock))) {
    throw new TillError('MANAGER_PIN_INVALID', 'The current manager PIN is not right.');
  }
  const salt = randomBytes(16);
  const hash = derive(newPin, salt, PARAMS, PARAMS.keylen);
  const value: StoredPin = {
    algo: 'scrypt',
    N: PARAMS.N,
    r: PARAMS.r,
    p: PARAMS.p,
    salt: salt.toString('base64'),
    hash: hash.toString('base64'),
  };
  db.transaction(() => {
    writeSetting(db, KEY, value);
    audit(db, 'manager', existing ? 'manager.pin-changed' : 'manager.pin-set', null);
  })();
}

/** For flows that need a manager's approval: throws a clear error unless the PIN is right. */
export function requireManagerPin(db: Db, pin: string, clock: Clock = Date.now): void {
  if (!isManagerPinSet(db)) {
    throw new TillError(
      'MANAGER_PIN_NOT_SET',
      'No manager PIN is set. Set one in Settings first: refunds without a sale and payments recorded by hand need it.',
    );
  }
  if (!verifyManagerPin(db, pin, clock))
    throw new TillError('MANAGER_PIN_INVALID', 'That manager PIN is not right.');
}
