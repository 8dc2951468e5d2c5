import { describe, expect, it } from 'vitest';
import { createLogger, memorySink } from '../logging/logger';
import { hardenContents, hardenSession, type HardenableContents } from './hardening';

function fakeContents() {
  const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
  let openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
  const contents = {
    setWindowOpenHandler: (h: (d: { url: string }) => { action: 'deny' }) => void (openHandler = h),
    on: (name: string, l: (event: { preventDefault(): void }, url?: string) => void) =>
      listeners.set(name, l),
  } as unknown as HardenableContents;
  const fire = (name: string, url?: string) => {
    let prevented = false;
    listeners.get(name)?.({ preventDefault: () => void (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('hardening', () => {
  it('denies new windows and blocks navigation and redirects off the app origin, logging each', () => {
    const sink = memorySink();
    const fake = fakeContents();
    hardenContents(fake.contents, createLogger([sink]));
    expect(fake.open('https://evil.example')).toEqual({ action: 'deny' });
    expect(fake.fire('will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(fake.fire('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(fake.fire('will-navigate', 'app://opentill/index.html')).toBe(false);
    expect(fake.fire('will-attach-webview')).toBe(true);
    expect(sink.records.map((r) => r.message)).toEqual([
      'window.open denied',
      'navigation blocked',
      'redirect blocked',
      'webview blocked',
    ]);
  });

  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (g: boolean) => void) => void) | undefined;
    let check: ((c: unknown, p: string) => boolean) | undefined;
    hardenSession(
      {
        setPermissionRequestHandler: (h) => void (request = h),
        setPermissionCheckHandler: (h) => void (check = h),
      },
      createLogger([]),
    );
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      let granted: boolean | undefined;
      request?.(null, permission, (g) => void (granted = g));
      expect(granted).toBe(false);
      expect(check?.(null, permission)).toBe(false);
    }
  });
});
