import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, repoRoot, screenshotDir } from './support/harness';
import { basketOf, chooseTerminal, payByCardFromBasket, prompt, ready } from './support/actions';
import { tempDir } from '../support/temp-dir';

/** A loopback port nobody uses now (the core must come back on the same one). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * `npm run start:web`'s core as a real child process (one Node process, so SIGKILL really kills
 * it): resolves with the address it prints.
 */
function startCore(port: number, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src-main/server/cli.ts',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--renderer-dir',
      join(repoRoot, 'out', 'renderer'),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the core did not start: ${out}`)), 60_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Open: (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', (c: Buffer) => void (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`the core exited (${code}): ${out}`)));
  });
}

const kill = async (child: ChildProcess) => {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
};

describe('browser mode: a tab survives a restart of the till core', () => {
  const dir = tempDir('opentill-restart-');
  let browser: Browser;
  let page: Page;
  let core: ChildProcess | null = null;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    const started = await startCore(port, dir.path);
    core = started.child;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(started.url);
  });
  afterAll(async () => {
    await browser?.close();
    if (core) await kill(core);
    dir.remove();
  });

  const link = () => page.getByRole('status', { name: 'Till core link' });
  const shot = (name: string) => page.screenshot({ path: join(screenshotDir, `${name}.png`) });

  // A core that starts has nobody signed in (a restart signs everyone out): the demo manager here.
  const signIn = () =>
    page.getByRole('button', { name: 'Use the demo manager (training only)' }).click();

  it('shows the link, reconnects by itself, re-syncs the payment dialog, and a press works', async () => {
    await signIn();
    await ready(page);
    // The token has been taken out of the address bar and the history entry.
    expect(page.url()).toBe(`http://127.0.0.1:${port}/`);
    await link().filter({ hasText: 'Till core connected' }).waitFor();
    await chooseTerminal(page, '28340001');

    await basketOf(page, '12.50');
    await payByCardFromBasket(page);
    await prompt(page).filter({ hasText: 'Ask the customer to tap' }).waitFor();

    if (core) await kill(core);
    core = null;
    await link()
      .filter({ hasText: /reconnecting|lost/ })
      .waitFor();
    await page.getByRole('alert', { name: 'Till core link lost' }).waitFor();
    await link().filter({ hasText: 'Till core lost' }).waitFor({ timeout: 20_000 });
    expect(await page.getByLabel('Dojo connection').textContent()).toBe(
      'Dojo: not known while the core is away',
    );
    await shot('core-link-lost');

    // Same data folder, same port: the tab (whose URL no longer has the token) gets back in.
    core = (await startCore(port, dir.path)).child;
    await link().filter({ hasText: 'Till core connected' }).waitFor({ timeout: 30_000 });
    await signIn();
    // The restarted core finishes the payment; the dialog catches up without a reload.
    await prompt(page).filter({ hasText: 'Payment approved' }).waitFor({ timeout: 45_000 });
    expect(await page.getByRole('alert', { name: 'Till core link lost' }).count()).toBe(0);
    await shot('core-link-back-payment-resynced');

    // A press works: the next sale is taken in cash at once.
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'New sale' }).click();
    await basketOf(page, '3.00');
    await page.getByRole('button', { name: 'Cash', exact: true }).click();
    await page.getByRole('button', { name: 'Exact cash' }).click();
    await page.getByRole('region', { name: 'Sale complete' }).waitFor({ timeout: 10_000 });
  });
});
