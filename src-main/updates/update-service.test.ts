import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Settings } from '../../src-shared/contract';
import { createLogger } from '../logging/logger';
import type { SettingsService } from '../settings/settings.service';
import { defaultSettings } from '../settings/settings.service';
import { FakeUpdater } from '../../tests/integration/updates/fake-updater';
import { createUpdateService } from './update-service';
import type { TradingState } from './update-policy';

function settingsStub(over: Partial<Settings> = {}): SettingsService {
  let current: Settings = { ...defaultSettings, ...over };
  return {
    get: () => current,
    update: (patch) => (current = { ...current, ...(patch as Partial<Settings>) }),
    overriddenByEnvironment: () => [],
    onChange: () => () => {},
  };
}

describe('update service: the quiet moments, on a clock', () => {
  let counts: Omit<TradingState, 'basketOpen'>;
  beforeEach(() => {
    vi.useFakeTimers();
    counts = { livePayments: 0, liveRefunds: 0, pendingPrintJobs: 0 };
  });
  afterEach(() => vi.useRealTimers());

  const service = (updater: FakeUpdater) =>
    createUpdateService({
      settings: settingsStub(),
      log: createLogger([]),
      currentVersion: '1.0.0',
      updater,
      tradingCounts: () => counts,
      requireManagerPin: () => {},
      startUpWindowMs: 60_000,
      recheckMs: 1_000,
    });

  it('the start-up window closes after its time: a download finishing later waits for the day close', async () => {
    const updater = new FakeUpdater();
    updater.feed = { version: '1.1.0' };
    let finish = () => {};
    const download = updater.downloadUpdate.bind(updater);
    updater.downloadUpdate = () => new Promise((r) => (finish = () => r(download())));
    const s = service(updater);
    s.start();
    await vi.advanceTimersByTimeAsync(61_000);
    finish();
    await vi.advanceTimersByTimeAsync(10);
    expect(s.status()).toMatchObject({
      phase: 'ready',
      message:
        'Version 1.1.0 is ready. Installs at the next start or right after the day is closed.',
    });
    expect(updater.calls).not.toContain('install');
    s.dayClosed();
    expect(updater.calls).toContain('install');
    s.stop();
  });

  it('at start-up a receipt still printing delays the install until it has printed', async () => {
    counts = { ...counts, pendingPrintJobs: 1 };
    const updater = new FakeUpdater();
    updater.feed = { version: '1.1.0' };
    const s = service(updater);
    s.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(s.status().message).toBe(
      'Version 1.1.0 is ready. Waiting: 1 receipt is still to print.',
    );
    await vi.advanceTimersByTimeAsync(5_000);
    expect(updater.calls).not.toContain('install');
    counts = { ...counts, pendingPrintJobs: 0 };
    await vi.advanceTimersByTimeAsync(1_000);
    expect(updater.calls).toContain('install');
    s.stop();
  });

  it('the first basket ends the start-up moment, even once it is emptied again', async () => {
    const updater = new FakeUpdater();
    const s = service(updater);
    s.start();
    s.setBasketOpen(true);
    s.setBasketOpen(false);
    updater.feed = { version: '1.1.0' };
    await s.check();
    await vi.advanceTimersByTimeAsync(10);
    expect(s.status().phase).toBe('ready');
    expect(updater.calls).not.toContain('install');
    s.stop();
  });

  it('stopped: a late download event installs nothing', async () => {
    const updater = new FakeUpdater();
    updater.feed = { version: '1.1.0' };
    const s = service(updater);
    s.start();
    s.stop();
    await vi.advanceTimersByTimeAsync(10);
    expect(updater.calls).not.toContain('install');
    expect(updater.listenerCount('update-downloaded')).toBe(0);
  });
});
