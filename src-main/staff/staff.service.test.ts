import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTrivialPin } from '../../src-shared/domain/staff';
import { openDatabase, type Db } from '../db/connection';
import { silentLogger } from '../logging/logger';
import { createStaffService, type StaffService } from './staff.service';

describe('staff accounts', () => {
  let db: Db;
  let staff: StaffService;
  let now = Date.parse('2026-03-01T10:00:00.000Z');
  let training = false;
  beforeEach(() => {
    db = openDatabase(':memory:');
    now = Date.parse('2026-03-01T10:00:00.000Z');
    training = false;
    staff = createStaffService({
      db,
      logger: silentLogger,
      training: () => training,
      clock: () => now,
    });
  });
  afterEach(() => db.close());

  it('refuses trivial PINs: repeated digits, runs, repeated pairs', () => {
    for (const pin of [
      '0000',
      '1111',
      '1234',
      '4321',
      '9876',
      '0123',
      '1212',
      '123456',
      '98765432',
    ])
      expect([pin, isTrivialPin(pin)]).toEqual([pin, true]);
    for (const pin of ['2468', '1357', '4731', '90210', '1122'])
      expect([pin, isTrivialPin(pin)]).toEqual([pin, false]);
    expect(() => staff.createFirstManager({ name: 'Ann', pin: '1234' })).toThrow(/too easy/);
    expect(db.prepare('SELECT count(*) AS n FROM staff').get()).toEqual({ n: 0 });
  });

  it('a fresh till asks for the first manager once; PINs are stored hashed and unique', () => {
    expect(staff.session()).toMatchObject({ staff: null, needsFirstManager: true });
    const s = staff.createFirstManager({ name: 'Ann', pin: '2468' });
    expect(s).toMatchObject({ staff: { name: 'Ann', role: 'manager' }, needsFirstManager: false });
    expect(() => staff.createFirstManager({ name: 'Bob', pin: '1357' })).toThrow(
      /already has a manager/,
    );
    expect(() => staff.create({ name: 'Cy', role: 'cashier', pin: '2468' })).toThrow(
      'That PIN cannot be used: choose another.',
    );
    const raw = JSON.stringify(db.prepare('SELECT pin_hash FROM staff').all());
    expect(raw).not.toContain('2468');
    expect(raw).toContain('scrypt');
  });

  it('nobody can deactivate or demote the last active manager', () => {
    staff.createFirstManager({ name: 'Ann', pin: '2468' });
    const ann = staff.current();
    if (!ann) throw new Error('not signed in');
    expect(() => staff.update({ id: ann.id, active: false })).toThrow(/last active manager/);
    expect(() => staff.update({ id: ann.id, role: 'supervisor' })).toThrow(/last active manager/);
    const bob = staff.create({ name: 'Bob', role: 'manager', pin: '1357' });
    expect(staff.update({ id: ann.id, role: 'supervisor' }).role).toBe('supervisor');
    expect(() => staff.update({ id: bob.id, active: false })).toThrow(/last active manager/);
  });

  it('sign-in locks out after five wrong PINs: 5 minutes, then 15, then 60; a right PIN resets', () => {
    staff.createFirstManager({ name: 'Ann', pin: '2468' });
    staff.signOut();
    const fiveWrong = () => {
      for (let i = 0; i < 4; i++)
        expect(() => staff.signIn('9999')).toThrow(
          expect.objectContaining({ code: 'STAFF_PIN_INVALID' }),
        );
      expect(() => staff.signIn('9999')).toThrow(
        expect.objectContaining({ code: 'MANAGER_PIN_LOCKED' }),
      );
    };
    fiveWrong();
    expect(() => staff.signIn('2468')).toThrow(/try again in 5 minutes/);
    expect(staff.session().lockedUntil).toBe('2026-03-01T10:05:00.000Z');
    now += 5 * 60_000;
    fiveWrong();
    expect(() => staff.signIn('2468')).toThrow(/try again in 15 minutes/);
    now += 15 * 60_000;
    fiveWrong();
    expect(() => staff.signIn('2468')).toThrow(/try again in 60 minutes/);
    now += 60 * 60_000;
    expect(staff.signIn('2468').staff?.name).toBe('Ann');
    staff.signOut();
    fiveWrong();
    expect(() => staff.signIn('2468')).toThrow(/try again in 5 minutes/);
  });

  it('PINs with letters are not PINs', () => {
    staff.createFirstManager({ name: 'Ann', pin: '2468' });
    expect(() => staff.create({ name: 'Cy', role: 'cashier', pin: '24a8' })).toThrow(
      /4 to 8 digits/,
    );
  });

  it('the demo manager exists only in training mode and never counts as a real manager', () => {
    expect(() => staff.signInDemo()).toThrow(/only in training mode/);
    training = true;
    const s = staff.signInDemo();
    expect(s.staff).toMatchObject({ name: 'Demo manager (training)', role: 'manager', demo: true });
    expect(s.needsFirstManager).toBe(true);
    expect(staff.list()).toEqual([]);
  });

  it('authorize: allowed, refused in plain words, overridden by a supervisor; a cashier cannot approve', () => {
    staff.createFirstManager({ name: 'Ann', pin: '2468' });
    staff.create({ name: 'Cy', role: 'cashier', pin: '1357' });
    staff.create({ name: 'Sue', role: 'supervisor', pin: '8024' });
    staff.signOut();
    expect(() => staff.authorize(null, undefined)).toThrow(
      expect.objectContaining({ code: 'SIGN_IN_REQUIRED' }),
    );
    const cy = staff.signIn('1357').staff;
    expect(staff.authorize(null, undefined)).toEqual({
      staffId: cy?.id,
      approvedBy: null,
    });
    expect(() => staff.authorize('refund.matched', undefined)).toThrow(
      'Cy (cashier) may not refund a card payment: a supervisor or manager can approve it with their PIN.',
    );
    expect(() => staff.authorize('refund.matched', { pin: '1357' })).toThrow(
      'Cy is a cashier and cannot approve this: ask a supervisor or manager.',
    );
    expect(() => staff.authorize('settings.dojo-key', { pin: '8024' })).toThrow(
      'Sue (supervisor) cannot approve this: ask a manager.',
    );
    expect(() => staff.authorize('refund.matched', { pin: '0070' })).toThrow(
      expect.objectContaining({ code: 'MANAGER_PIN_INVALID' }),
    );
    const sue = staff.list().find((s) => s.name === 'Sue');
    expect(staff.authorize('refund.matched', { pin: '8024' })).toEqual({
      staffId: cy?.id,
      approvedBy: sue?.id,
    });
  });
});
