import { describe, expect, it } from 'vitest';
import { buildWindowOptions, desktopCsp, isAppUrl, APP_ENTRY_URL } from './window-options';
import { resolveAppFile } from './app-protocol';

describe('desktop window options', () => {
  it('turns on every isolation switch and keeps devtools for development only', () => {
    const prod = buildWindowOptions({ preloadPath: '/app/preload/index.cjs', isDev: false });
    expect(prod.webPreferences).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(buildWindowOptions({ preloadPath: 'p', isDev: true }).webPreferences?.devTools).toBe(
      true,
    );
  });

  it('has a CSP without unsafe-eval or inline scripts, and no network for the renderer', () => {
    const csp = desktopCsp();
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline/);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("object-src 'none'");
  });

  it('recognises only the app origin', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://opentill/orders')).toBe(true);
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'app://other/index.html',
      'javascript:alert(1)',
      '',
      null,
    ]) {
      expect(isAppUrl(url)).toBe(false);
    }
  });

  it('serves only files inside the renderer folder', () => {
    expect(resolveAppFile('/r', 'app://opentill/index.html')).toEqual({
      file: '/r/index.html',
      contentType: 'text/html; charset=utf-8',
    });
    expect(resolveAppFile('/r', 'app://opentill/')).toMatchObject({ file: '/r/index.html' });
    expect(resolveAppFile('/r', 'app://opentill/assets/a.js')?.contentType).toMatch(/javascript/);
    expect(resolveAppFile('/r', 'app://opentill/%2e%2e/%2e%2e/etc/passwd')?.file).toBe(
      '/r/etc/passwd',
    );
    expect(resolveAppFile('/r', 'app://opentill/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppFile('/r', 'app://elsewhere/index.html')).toBeNull();
    expect(resolveAppFile('/r', 'app://opentill/%E0%A4%A')).toBeNull();
  });
});
