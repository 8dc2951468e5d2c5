import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { TillError } from '../../src-shared/errors';
import type { Db } from '../db/connection';
import { audit, readSetting, writeSetting } from '../settings/settings.repo';

/** Stored in `settings` under this key: a salted scrypt hash, never the PIN. */
const KEY = 'manager.pin';
const PIN = /^\d{4,8}$/;
const PARAMS = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

type StoredPin = { algo: 'scrypt'; N: number; r: number; p: number; salt: string; hash: string };

function stored(db: Db): StoredPin | null {
  const value = readSetting(db, KEY);
  if (!value || typeof value !== 'object') return null;
  const v = value as Partial<StoredPin>;
  if (v.algo !== 'scrypt' || typeof v.salt !== 'string' || typeof v.hash !== 'string' || !v.N || !v.r || !v.p) return null;
  return v as StoredPin;
}

const derive = (pin: string, salt: Buffer, p: Pick<StoredPin, 'N' | 'r' | 'p'>, keylen: number) =>
  scryptSync(pin, salt, keylen, { N: p.N, r: p.r, p: p.p, maxmem: 64 * 1024 * 1024 });

export function isManagerPinSet(db: Db): boolean {
  return stored(db) !== null;
}

export function verifyManagerPin(db: Db, pin: string): boolean {
  const s = stored(db);
  if (!s || typeof pin !== 'string' || !PIN.test(pin)) return false;
  const expected = Buffer.from(s.hash, 'base64');
  const actual = derive(pin, Buffer.from(s.salt, 'base64'), s, expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Sets or changes the manager PIN; changing it needs the current one. */
export function setManagerPin(db: Db, newPin: string, currentPin?: string): void {
  if (!PIN.test(newPin)) throw new TillError('VALIDATION', 'A manager PIN is 4 to 8 digits.');
  const existing = isManagerPinSet(db);
  if (existing && (currentPin === undefined || !verifyManagerPin(db, currentPin))) {
    throw new TillError('MANAGER_PIN_INVALID', 'The current manager PIN is not right.');
  }
  const salt = randomBytes(16);
  const hash = derive(newPin, salt, PARAMS, PARAMS.keylen);
  const value: StoredPin = { algo: 'scrypt', N: PARAMS.N, r: PARAMS.r, p: PARAMS.p, salt: salt.toString('base64'), hash: hash.toString('base64') };
  db.transaction(() => {
    writeSetting(db, KEY, value);
    audit(db, 'manager', existing ? 'manager.pin-changed' : 'manager.pin-set', null);
  })();
}

/** For flows that need a manager's approval: throws a clear error unless the PIN is right. */
export function requireManagerPin(db: Db, pin: string): void {
  if (!isManagerPinSet(db)) {
    throw new TillError('MANAGER_PIN_NOT_SET', 'No manager PIN is set. Set one in Settings first: refunds without a sale and payments recorded by hand need it.');
  }
  if (!verifyManagerPin(db, pin)) throw new TillError('MANAGER_PIN_INVALID', 'That manager PIN is not right.');
}
