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
import { waitFor } from '../../support/wait';
import { ready } from './actions';

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
  /**
   * The known state every test starts from: the core agrees to a new sale (through the contract,
   * as the New sale button asks; refused while a card payment runs, and then the test fails with
   * the core's words rather than abandon it), the suite's staff member is signed in, and the page
   * is loaded afresh on the Sell screen — empty basket, no order, no dialog, the terminal shown.
   * `terminal` (a TID) is made the till's terminal first, as the picker does.
   */
  freshSale(opts?: { terminal?: string }): Promise<void>;
  close(): Promise<void>;
};

/**
 * Dojo as a test finds it: no fault, chaos, forced scenario or tip left over from the test before,
 * and the till's link to it up (asked at once, as the cashier's "Check again" does).
 */
async function dojoAsFound(mode: BrowserMode): Promise<void> {
  const sim = mode.core.simulator()?.control;
  if (sim) {
    sim.clearFaults();
    sim.clearChaos();
    sim.forceScenario(null);
    sim.addTipOnTerminal(0);
    for (const t of sim.records().terminals) {
      sim.forceScenario(null, t.id);
      sim.addTipOnTerminal(0, t.id);
    }
  }
  if (mode.core.status().dojo.state !== 'offline') return;
  await mode.core.dispatch('credentials:test', undefined);
  await waitFor(() => mode.core.status().dojo.state !== 'offline', 'Dojo reachable again', 10_000);
}

/** Makes the terminal with this TID the till's own, through the contract as the picker does. */
async function chooseTerminalInCore(mode: BrowserMode, tid: string): Promise<void> {
  const list = await mode.core.dispatch('terminals:list', undefined);
  if (!list.ok) throw new Error(`No terminal list: ${list.error.message}`);
  const found = (list.value as { id: string; tid: string }[]).find((t) => t.tid === tid);
  if (!found) throw new Error(`No terminal with TID ${tid}`);
  const set = await mode.core.dispatch('terminals:set-default', { terminalId: found.id });
  if (!set.ok) throw new Error(`Could not choose TID ${tid}: ${set.error.message}`);
}

/**
 * Asks the core for a new sale as the renderer does; a card payment that is still finishing (its
 * last poll, the intent read) gets a few seconds, then the refusal fails the test in the core's
 * words: a test must end its payments, never leave them to the next one.
 */
async function waitForNewSale(mode: BrowserMode): Promise<void> {
  let refusal = '';
  try {
    await waitFor(
      async () => {
        const r = await mode.core.dispatch('payments:new-sale', undefined);
        refusal = r.ok ? '' : r.error.message;
        return r.ok;
      },
      'the core to agree to a new sale',
      5_000,
      50,
    );
  } catch {
    throw new Error(`The till cannot start a new sale: ${refusal}`);
  }
}

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
    async freshSale({ terminal } = {}) {
      if (opts.signedIn === false) throw new Error('freshSale: this till was opened signed out');
      // Whoever a test signed in as, the next one starts with the demo manager, as openTill does.
      if (!mode.core.staff.session().staff?.demo) mode.core.staff.signInDemo();
      await dojoAsFound(mode);
      await waitForNewSale(mode);
      if (terminal) await chooseTerminalInCore(mode, terminal);
      await page.reload();
      await ready(page);
      await page.getByRole('list', { name: 'Basket lines' }).getByText('Tap a product').waitFor();
      // A card payment needs the terminal list: it is there once the chosen one shows its status.
      if (mode.core.settings.get().defaultTerminalId)
        await page.getByLabel('Terminal status').waitFor();
    },
    async close() {
      await browser.close();
      await mode.close();
      dir.remove();
    },
  };
}
