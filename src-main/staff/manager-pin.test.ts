import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/connection';
import {
  hashPin,
  MAX_WRONG_PINS,
  pinHashForShop,
  pinHashFromShop,
  pinMatches,
  PIN_LOCKOUT_MS,
  requireManagerPin,
  setManagerPin,
  verifyManagerPin,
} from './manager-pin';

describe('manager PIN lockout', () => {
  let dir: string;
  let file: string;
  let db: Db;
  let now = Date.parse('2026-03-01T10:00:00.000Z');
  const clock = () => now;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'opentill-pin-'));
    file = path.join(dir, 'till.db');
    db = openDatabase(file);
    now = Date.parse('2026-03-01T10:00:00.000Z');
    setManagerPin(db, '4731');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const wrong = (n: number) => {
    for (let i = 0; i < n; i++) expect(verifyManagerPin(db, '0000', clock)).toBe(false);
  };

  it('the fifth wrong PIN in a row locks every check for five minutes, even the right PIN', () => {
    wrong(MAX_WRONG_PINS - 1);
    expect(() => verifyManagerPin(db, '0000', clock)).toThrow(
      expect.objectContaining({
        code: 'MANAGER_PIN_LOCKED',
        retryable: false,
        message: 'Too many wrong PINs — try again in 5 minutes.',
      }),
    );
    expect(() => verifyManagerPin(db, '4731', clock)).toThrow(
      expect.objectContaining({ code: 'MANAGER_PIN_LOCKED', retryable: false }),
    );
    expect(() => requireManagerPin(db, '4731', clock)).toThrow(
      expect.objectContaining({ code: 'MANAGER_PIN_LOCKED' }),
    );
    expect(() => requireManagerPin(db, '4731', clock)).toThrow(/Too many wrong PINs/);
    expect(() => setManagerPin(db, '5827', '4731', clock)).toThrow(
      expect.objectContaining({ code: 'MANAGER_PIN_LOCKED' }),
    );
    now += 4 * 60_000 + 1;
    expect(() => verifyManagerPin(db, '4731', clock)).toThrow(
      'Too many wrong PINs — try again in 1 minute.',
    );
    now += 60_000;
    expect(verifyManagerPin(db, '4731', clock)).toBe(true);
    expect(
      db.prepare("SELECT action FROM audit_log WHERE action = 'staff.pin-locked'").all(),
    ).toHaveLength(1);
  });

  it('the minutes shown count down; checks while locked do not extend the lockout', () => {
    wrong(MAX_WRONG_PINS - 1);
    expect(() => verifyManagerPin(db, '0000', clock)).toThrow(/in 5 minutes/);
    now += 2 * 60_000 + 30_000;
    expect(() => verifyManagerPin(db, '0000', clock)).toThrow(/in 3 minutes/);
    now += 2 * 60_000 + 30_000;
    expect(verifyManagerPin(db, '4731', clock)).toBe(true);
    expect(PIN_LOCKOUT_MS).toBe(5 * 60_000);
  });

  it('a wrong PIN below the limit is MANAGER_PIN_INVALID, not a lockout', () => {
    wrong(1);
    expect(() => requireManagerPin(db, '0000', clock)).toThrow(
      expect.objectContaining({
        code: 'MANAGER_PIN_INVALID',
        message: 'That manager PIN is not right.',
      }),
    );
    expect(() => setManagerPin(db, '5827', '0000', clock)).toThrow(
      expect.objectContaining({ code: 'MANAGER_PIN_INVALID' }),
    );
    expect(verifyManagerPin(db, '4731', clock)).toBe(true);
  });

  it('a right PIN resets the count: four wrong, one right, four wrong is not a lockout', () => {
    wrong(MAX_WRONG_PINS - 1);
    expect(verifyManagerPin(db, '4731', clock)).toBe(true);
    wrong(MAX_WRONG_PINS - 1);
    expect(verifyManagerPin(db, '4731', clock)).toBe(true);
    // A malformed PIN is a wrong PIN too.
    wrong(MAX_WRONG_PINS - 2);
    expect(verifyManagerPin(db, 'abcd', clock)).toBe(false);
    expect(() => verifyManagerPin(db, '12', clock)).toThrow(/Too many wrong PINs/);
  });

  it('survives a restart: the lockout is kept in the settings table', () => {
    wrong(MAX_WRONG_PINS - 1);
    expect(() => verifyManagerPin(db, '0000', clock)).toThrow(/Too many wrong PINs/);
    db.close();
    db = openDatabase(file);
    expect(() => requireManagerPin(db, '4731', clock)).toThrow(
      expect.objectContaining({
        code: 'MANAGER_PIN_LOCKED',
        message: 'Too many wrong PINs — try again in 5 minutes.',
      }),
    );
    now += PIN_LOCKOUT_MS;
    expect(() => requireManagerPin(db, '4731', clock)).not.toThrow();
  });

  it('the wrong-PIN count survives a restart as well', () => {
    wrong(3);
    db.close();
    db = openDatabase(file);
    wrong(1);
    expect(() => verifyManagerPin(db, '0000', clock)).toThrow(/Too many wrong PINs/);
  });
});

describe('a PIN hash in the shop database’s form', () => {
  it('goes to scrypt$N$r$p$salt$hash and back, and still checks the same PIN', () => {
    const stored = hashPin('5831');
    const shop = pinHashForShop(stored);
    expect(shop).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    const back = pinHashFromShop(shop ?? '');
    expect(back).not.toBeNull();
    expect(pinMatches(back ?? '', '5831')).toBe(true);
    expect(pinMatches(back ?? '', '5832')).toBe(false);
  });

  it('refuses hashes of another shape or with costs a sign-in could not afford', () => {
    const [, , , , salt, hash] = (pinHashForShop(hashPin('5831')) ?? '').split('$');
    for (const bad of [
      'scrypt$weird',
      `bcrypt$16384$8$1$${salt}$${hash}`,
      `scrypt$16000$8$1$${salt}$${hash}`, // N not a power of two
      `scrypt$1048576$8$1$${salt}$${hash}`, // 1 GB of memory per check
      `scrypt$16384$8$64$${salt}$${hash}`, // far too slow
      `scrypt$16384$8$1$not base64!$${hash}`,
    ])
      expect(pinHashFromShop(bad)).toBeNull();
    expect(pinHashForShop('{"algo":"plain","pin":"5831"}')).toBeNull();
    expect(pinHashForShop('not json')).toBeNull();
  });
});
