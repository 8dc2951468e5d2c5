import { describe, expect, it } from 'vitest';
import { takeToken } from './till';

/** Just enough of a browser window: the address bar, its history entry and the tab's storage. */
function fakeWindow(href: string) {
  const url = new URL(href);
  const store = new Map<string, string>();
  const win = {
    location: url as unknown as Location,
    history: {
      state: null,
      replaceState: (_s: unknown, _t: string, next: string) => {
        const u = new URL(next, url);
        url.hash = u.hash;
        url.pathname = u.pathname;
        url.search = u.search;
      },
    } as unknown as History,
    sessionStorage: {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    } as unknown as Storage,
  };
  return { win, url };
}

describe('browser-mode token', () => {
  it('is read once, removed from the address bar, and kept for the tab (reload, reconnect)', () => {
    const { win, url } = fakeWindow(
      'http://127.0.0.1:5199/#token=abcDEF_123-token-value-0123456789',
    );
    expect(takeToken(win)).toBe('abcDEF_123-token-value-0123456789');
    expect(url.href).toBe('http://127.0.0.1:5199/');
    expect(url.href).not.toContain('token');
    // A reload of the cleaned address still has the token for this tab.
    expect(takeToken(win)).toBe('abcDEF_123-token-value-0123456789');
  });

  it('without a token anywhere gives an empty one (the core refuses it)', () => {
    const { win } = fakeWindow('http://127.0.0.1:5199/');
    expect(takeToken(win)).toBe('');
  });
});
