import { describe, expect, it } from 'vitest';
import {
  mayInstallNow,
  type InstallQuestion,
  type TillMoment,
  type TradingState,
} from './update-policy';

const idle: TradingState = {
  basketOpen: false,
  livePayments: 0,
  liveRefunds: 0,
  pendingPrintJobs: 0,
};
const ask = (over: Partial<InstallQuestion> = {}): InstallQuestion => ({
  moment: 'start-up',
  trading: idle,
  mode: 'automatic',
  pinnedVersion: null,
  readyVersion: '1.4.0',
  ...over,
});
const moments: TillMoment[] = ['start-up', 'day-closed', 'trading'];

/** Every combination of the four things that may be going on at the counter. */
const everyTradingState: TradingState[] = [];
for (const basketOpen of [false, true])
  for (const livePayments of [0, 1, 2])
    for (const liveRefunds of [0, 1])
      for (const pendingPrintJobs of [0, 1, 3])
        everyTradingState.push({ basketOpen, livePayments, liveRefunds, pendingPrintJobs });

describe('mayInstallNow: may the downloaded update install now?', () => {
  it('installs at start-up and right after a day close when nothing is going on', () => {
    expect(mayInstallNow(ask({ moment: 'start-up' }))).toEqual({ install: true });
    expect(mayInstallNow(ask({ moment: 'day-closed' }))).toEqual({ install: true });
  });

  it('never installs in the middle of trading, even with an idle counter', () => {
    expect(mayInstallNow(ask({ moment: 'trading' }))).toEqual({
      install: false,
      reason: 'Installs at the next start or right after the day is closed.',
    });
  });

  it.each(moments)('at %s: waits for an open basket', (moment) => {
    expect(mayInstallNow(ask({ moment, trading: { ...idle, basketOpen: true } }))).toEqual({
      install: false,
      reason: 'Waiting: a basket is open on the till.',
    });
  });

  it.each(moments)('at %s: waits for a card payment in progress', (moment) => {
    expect(mayInstallNow(ask({ moment, trading: { ...idle, livePayments: 1 } }))).toEqual({
      install: false,
      reason: 'Waiting: 1 card payment is in progress.',
    });
    expect(mayInstallNow(ask({ moment, trading: { ...idle, livePayments: 2 } }))).toMatchObject({
      reason: 'Waiting: 2 card payments are in progress.',
    });
  });

  it.each(moments)('at %s: waits for a refund in progress', (moment) => {
    expect(mayInstallNow(ask({ moment, trading: { ...idle, liveRefunds: 1 } }))).toEqual({
      install: false,
      reason: 'Waiting: 1 refund is in progress.',
    });
  });

  it.each(moments)('at %s: waits for receipts still to print', (moment) => {
    expect(mayInstallNow(ask({ moment, trading: { ...idle, pendingPrintJobs: 3 } }))).toEqual({
      install: false,
      reason: 'Waiting: 3 receipts are still to print.',
    });
  });

  it('over every combination of moment and trading state: installs only when quiet and idle', () => {
    let installs = 0;
    for (const moment of moments)
      for (const trading of everyTradingState) {
        const busy =
          trading.basketOpen ||
          trading.livePayments > 0 ||
          trading.liveRefunds > 0 ||
          trading.pendingPrintJobs > 0;
        const decision = mayInstallNow(ask({ moment, trading }));
        expect(decision.install, JSON.stringify({ moment, trading })).toBe(
          !busy && moment !== 'trading',
        );
        if (decision.install) installs++;
        else expect(decision.reason).toMatch(/^(Waiting: |Installs at the next start)/);
      }
    expect(everyTradingState).toHaveLength(36);
    expect(installs).toBe(2); // the idle counter at start-up and after the day close
  });

  it('a payment outranks the other reasons: the status bar names the most important wait', () => {
    const all: TradingState = {
      basketOpen: true,
      livePayments: 1,
      liveRefunds: 1,
      pendingPrintJobs: 1,
    };
    expect(mayInstallNow(ask({ trading: all }))).toMatchObject({ reason: /card payment/ });
    expect(mayInstallNow(ask({ trading: { ...all, livePayments: 0 } }))).toMatchObject({
      reason: /refund/,
    });
    expect(
      mayInstallNow(ask({ trading: { ...all, livePayments: 0, liveRefunds: 0 } })),
    ).toMatchObject({ reason: /basket/ });
  });

  it('nothing to install when nothing has been downloaded', () => {
    expect(mayInstallNow(ask({ readyVersion: null }))).toEqual({
      install: false,
      reason: 'No update has been downloaded.',
    });
  });

  it('updates turned off: never installs, whatever the moment', () => {
    for (const moment of moments)
      expect(mayInstallNow(ask({ moment, mode: 'off' }))).toEqual({
        install: false,
        reason: 'Updates are turned off in Settings.',
      });
  });

  it('pinned: installs only the pinned version, never a newer one', () => {
    expect(
      mayInstallNow(ask({ mode: 'pinned', pinnedVersion: '1.3.2', readyVersion: '1.4.0' })),
    ).toEqual({ install: false, reason: 'A manager pinned this till to version 1.3.2.' });
    expect(
      mayInstallNow(ask({ mode: 'pinned', pinnedVersion: '1.3.2', readyVersion: '1.3.2' })),
    ).toEqual({ install: true });
  });
});
