import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { newPinSchema } from '../../src-shared/domain/staff';
import { TillError } from '../../src-shared/errors';
import type { Db } from '../db/connection';
import { audit } from '../platform/audit';
import { assertNotLocked, LOCKOUT_STEPS_MS, recordRight, recordWrong } from './pin-lockout';
import {
  activeManagers,
  insertStaff,
  listStaff,
  updateStaffRow,
  type StaffWithPin,
} from './staff.repo';

/**
 * "A manager's PIN" for the flows that still ask for one: since staff accounts, any active real
 * manager's PIN (the old single manager PIN became the first manager account on upgrade). Wrong
 * PINs count towards the one staff lockout (5 wrong → 5, then 15, then 60 minutes).
 */
export { MAX_WRONG_PINS } from './pin-lockout';
export const PIN_LOCKOUT_MS = LOCKOUT_STEPS_MS[0];

/** Milliseconds since the epoch; injected by tests. */
export type Clock = () => number;
const PIN = /^\d{4,8}$/;
const PARAMS = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

type StoredPin = { algo: 'scrypt'; N: number; r: number; p: number; salt: string; hash: string };

const derive = (pin: string, salt: Buffer, p: Pick<StoredPin, 'N' | 'r' | 'p'>, keylen: number) =>
  scryptSync(pin, salt, keylen, { N: p.N, r: p.r, p: p.p, maxmem: 64 * 1024 * 1024 });

/** A PIN as stored: salted scrypt parameters and hash as JSON text, never the PIN. */
export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const hash = derive(pin, salt, PARAMS, PARAMS.keylen);
  const value: StoredPin = {
    algo: 'scrypt',
    N: PARAMS.N,
    r: PARAMS.r,
    p: PARAMS.p,
    salt: salt.toString('base64'),
    hash: hash.toString('base64'),
  };
  return JSON.stringify(value);
}

/** True when `pin` is the PIN behind `storedJson` (constant-time compare). */
export function pinMatches(storedJson: string, pin: string): boolean {
  let v: Partial<StoredPin>;
  try {
    v = JSON.parse(storedJson) as Partial<StoredPin>;
  } catch {
    return false;
  }
  if (v.algo !== 'scrypt' || typeof v.salt !== 'string' || typeof v.hash !== 'string') return false;
  if (!v.N || !v.r || !v.p || typeof pin !== 'string' || !PIN.test(pin)) return false;
  const expected = Buffer.from(v.hash, 'base64');
  const actual = derive(
    pin,
    Buffer.from(v.salt, 'base64'),
    { N: v.N, r: v.r, p: v.p },
    expected.length,
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * The shop database's form of a stored PIN: `scrypt$N$r$p$salt$hash` (its staff table refuses any
 * other shape), so only the salted hash ever leaves the till. Null when the stored value is not a
 * well-formed scrypt hash.
 */
export function pinHashForShop(storedJson: string): string | null {
  let v: Partial<StoredPin>;
  try {
    v = JSON.parse(storedJson) as Partial<StoredPin>;
  } catch {
    return null;
  }
  if (v.algo !== 'scrypt' || !v.N || !v.r || !v.p) return null;
  if (typeof v.salt !== 'string' || typeof v.hash !== 'string') return null;
  return ['scrypt', v.N, v.r, v.p, v.salt, v.hash].join('$');
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The till's stored form of a PIN hash from the shop database, or null when it is malformed. */
export function pinHashFromShop(text: string): string | null {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = parts[4] ?? '';
  const hash = parts[5] ?? '';
  if (!N || !r || !p || ![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return null;
  // What scrypt accepts here (N a power of two, within the memory `derive` allows), and bounds
  // that keep a hostile row from making every sign-in cost seconds.
  if ((N & (N - 1)) !== 0 || 128 * N * r > 32 * 1024 * 1024 || p > 4) return null;
  if (!BASE64.test(salt) || !BASE64.test(hash) || hash.length > 128) return null;
  const value: StoredPin = { algo: 'scrypt', N, r, p, salt, hash };
  return JSON.stringify(value);
}

export function isManagerPinSet(db: Db): boolean {
  return activeManagers(db) > 0;
}

const managers = (db: Db) =>
  listStaff(db).filter((s) => s.active && !s.demo && s.role === 'manager');

/** The active manager whose PIN this is (counting a wrong PIN towards the lockout), or null. */
function managerByPin(db: Db, pin: string, clock: Clock): StaffWithPin | null {
  const now = clock();
  assertNotLocked(db, now);
  const found = managers(db).find((m) => pinMatches(m.pinHash, pin)) ?? null;
  if (found) recordRight(db);
  else recordWrong(db, now);
  return found;
}

/**
 * Checks a manager PIN. After five wrong PINs in a row every check is refused for a while
 * (`MANAGER_PIN_LOCKED`, saying how long); a right PIN resets the count. A wrong PIN returns false.
 */
export function verifyManagerPin(db: Db, pin: string, clock: Clock = Date.now): boolean {
  if (!isManagerPinSet(db)) return false;
  return managerByPin(db, pin, clock) !== null;
}

/**
 * With no manager yet, creates the first manager account ("Manager") with this PIN; otherwise
 * changes the PIN of the manager whose current PIN is given.
 */
export function setManagerPin(
  db: Db,
  newPin: string,
  currentPin?: string,
  clock: Clock = Date.now,
): void {
  const parsed = newPinSchema.safeParse(newPin);
  if (!parsed.success)
    throw new TillError('VALIDATION', parsed.error.issues[0]?.message ?? 'A PIN is 4 to 8 digits');
  if (!isManagerPinSet(db)) {
    const id = randomUUID();
    db.transaction(() => {
      insertStaff(db, { id, name: 'Manager', role: 'manager', pinHash: hashPin(newPin) });
      audit(db, 'manager', 'manager.pin-set', id);
    })();
    return;
  }
  const who = currentPin === undefined ? null : managerByPin(db, currentPin, clock);
  if (!who) throw new TillError('MANAGER_PIN_INVALID', 'The current manager PIN is not right.');
  if (listStaff(db).some((s) => s.active && s.id !== who.id && pinMatches(s.pinHash, newPin)))
    throw new TillError('VALIDATION', 'That PIN cannot be used: choose another.');
  db.transaction(() => {
    updateStaffRow(db, who.id, { pinHash: hashPin(newPin) });
    audit(db, 'manager', 'manager.pin-changed', who.id);
  })();
}

/** For flows that need a manager's approval: throws a clear error unless the PIN is right. */
export function requireManagerPin(db: Db, pin: string, clock: Clock = Date.now): void {
  if (!isManagerPinSet(db)) {
    throw new TillError(
      'MANAGER_PIN_NOT_SET',
      'No manager is set up yet. Add one first: refunds without a sale and payments recorded by hand need one.',
    );
  }
  if (!verifyManagerPin(db, pin, clock))
    throw new TillError('MANAGER_PIN_INVALID', 'That manager PIN is not right.');
}

/**
 * Settings' one-PIN form (`isSet`, `set`). On a till joined to a shop it is refused: it writes
 * this till's copy only, which would fork the shop's staff list.
 */
export function settingsManagerPin(db: Db, joined: () => boolean) {
  return {
    isSet: () => isManagerPinSet(db),
    set: (pin: string, current?: string) => {
      if (joined())
        throw new TillError(
          'VALIDATION',
          'This till is joined to a shop: its staff are the shop’s. Change a PIN in Staff (Reset PIN) so that every till of the shop knows it.',
        );
      setManagerPin(db, pin, current);
    },
  };
}
