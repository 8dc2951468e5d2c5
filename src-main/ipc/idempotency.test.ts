import { afterEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../tests/integration/orders/helpers';
import { silentLogger } from '../logging/logger';
import { createIdempotencyGuard } from './idempotency';

let t: TempDb | undefined;
afterEach(() => t?.cleanup());

const K1 = '0b6f5a52-4a49-4d7e-9a53-0d3f1f6b9a11';
const K2 = '7d1c9b1e-2f0a-4b8c-8e4d-5a6b7c8d9e0f';

describe('idempotency guard: a money request runs once per key', () => {
  it('concurrent duplicates share the first run; a later repeat, also after a restart, gets its result', async () => {
    t = tempDb();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const action = async () => {
      runs++;
      await gate;
      return { tenderId: `t${runs}`, changeMinor: 0 };
    };
    const guard = createIdempotencyGuard(t.db, silentLogger);
    const request = { orderId: 'o1', amountMinor: 500, tenderedMinor: 500 };
    const all = Promise.all([
      guard.run('orders:pay-cash', K1, request, action),
      guard.run('orders:pay-cash', K1, request, action),
      guard.run('orders:pay-cash', K1, { ...request }, action),
    ]);
    release();
    expect(await all).toEqual([
      { tenderId: 't1', changeMinor: 0 },
      { tenderId: 't1', changeMinor: 0 },
      { tenderId: 't1', changeMinor: 0 },
    ]);
    expect(await guard.run('orders:pay-cash', K1, request, action)).toEqual({
      tenderId: 't1',
      changeMinor: 0,
    });
    const afterRestart = createIdempotencyGuard(t.reopen(), silentLogger);
    expect(await afterRestart.run('orders:pay-cash', K1, request, action)).toEqual({
      tenderId: 't1',
      changeMinor: 0,
    });
    expect(runs).toBe(1);
    // A new press (new key) is a new action; keys are scoped to their channel.
    await afterRestart.run('orders:pay-cash', K2, request, action);
    await afterRestart.run('refunds:server', K1, request, action);
    expect(runs).toBe(3);
  });

  it('refuses a key reused for a different request, running or finished', async () => {
    t = tempDb();
    const guard = createIdempotencyGuard(t.db, silentLogger);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = guard.run('orders:pay-cash', K1, { amountMinor: 500 }, () => gate.then(() => 1));
    await expect(
      guard.run('orders:pay-cash', K1, { amountMinor: 600 }, () => 2),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    release();
    expect(await first).toBe(1);
    await expect(
      guard.run('orders:pay-cash', K1, { amountMinor: 600 }, () => 2),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('a failed action leaves no record, so the same press can be tried again', async () => {
    t = tempDb();
    const guard = createIdempotencyGuard(t.db, silentLogger);
    await expect(
      guard.run('payments:start-sale', K1, { a: 1 }, () => {
        throw new Error('terminal busy');
      }),
    ).rejects.toThrow('terminal busy');
    expect(await guard.run('payments:start-sale', K1, { a: 1 }, () => 'second try')).toBe(
      'second try',
    );
  });

  it('a request cut off by a restart is refused in plain words, never run again blind', async () => {
    t = tempDb();
    const guard = createIdempotencyGuard(t.db, silentLogger);
    let ran = false;
    let stop!: () => void;
    const cutOff = guard.run(
      'orders:pay-cash',
      K2,
      { amountMinor: 500 },
      () => new Promise((r) => (stop = () => r(1))),
    );
    // The core "dies" here: the running row stays; a new core finds it.
    const next = createIdempotencyGuard(t.reopen(), silentLogger);
    await expect(
      next.run('orders:pay-cash', K2, { amountMinor: 500 }, () => (ran = true)),
    ).rejects.toMatchObject({
      code: 'REQUEST_IN_DOUBT',
      message: /may or may not have gone through/,
    });
    expect(ran).toBe(false);
    stop();
    await expect(cutOff).rejects.toThrow(/not open/);
  });
});
