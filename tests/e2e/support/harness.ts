import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  startBrowserMode,
  type BrowserMode,
  type BrowserModeOptions,
} from '../../../src-main/server/browser-mode';
import type { SimulatorControl } from '../../../src-main/simulator/control';
import { memorySink } from '../../../src-main/logging/logger';
import { TEST_PRINTER_PORTS } from '../../support/printer-ports';
import { tempDir } from '../../support/temp-dir';

export const repoRoot = resolve(import.meta.dirname, '../../..');
export const screenshotDir = join(repoRoot, 'test-results', 'screenshots');

/** CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own browser if installed. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => Boolean(p && existsSync(p)));
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  return chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

export type Till = {
  mode: BrowserMode;
  browser: Browser;
  page: Page;
  logs: ReturnType<typeof memorySink>;
  dataDir: string;
  /** The training simulator's control (faults, scenarios, its records). */
  sim(): SimulatorControl;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
};

/**
 * Starts the real core in browser mode (training simulator, fresh SQLite file) and opens it in
 * headless Chromium. Build the renderer first (`npm run test:e2e` does).
 */
export async function openTill(
  opts: {
    env?: NodeJS.ProcessEnv;
    viewport?: { width: number; height: number };
    simulatorTimeScale?: number;
    connectivity?: BrowserModeOptions['connectivity'];
    updater?: BrowserModeOptions['updater'];
    /**
     * Start with the training demo manager signed in (the default), so suites that are not about
     * signing in see the till as before; false shows the PIN pad.
     */
    signedIn?: boolean;
  } = {},
): Promise<Till> {
  const dir = tempDir('opentill-e2e-');
  const logs = memorySink();
  const mode = await startBrowserMode({
    port: 0,
    dataDir: dir.path,
    rendererDir: join(repoRoot, 'out', 'renderer'),
    env: { ...TEST_PRINTER_PORTS, ...opts.env },
    logSinks: [logs],
    simulatorTimeScale: opts.simulatorTimeScale ?? 0.05,
    ...(opts.connectivity ? { connectivity: opts.connectivity } : {}),
    ...(opts.updater ? { updater: opts.updater } : {}),
  });
  if (opts.signedIn !== false) mode.core.staff.signInDemo();
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1280, height: 800 } });
  await page.goto(mode.url);
  mkdirSync(screenshotDir, { recursive: true });
  return {
    mode,
    browser,
    page,
    logs,
    dataDir: dir.path,
    sim() {
      const simulator = mode.core.simulator();
      if (!simulator) throw new Error('training simulator not running');
      return simulator.control;
    },
    async screenshot(name) {
      const file = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    async close() {
      await browser.close();
      await mode.close();
      dir.remove();
    },
  };
}
