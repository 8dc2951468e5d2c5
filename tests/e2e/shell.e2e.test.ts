import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTill, type Till } from './support/harness';

describe('browser mode shell', () => {
  let till: Till;
  beforeAll(async () => {
    till = await openTill();
  });
  afterAll(async () => {
    await till?.close();
  });
  beforeEach(async () => {
    await till.freshSale();
  });

  it('shows the permanent training banner when no Dojo key is set', async () => {
    const banner = till.page.getByRole('status', { name: 'Training mode' });
    await banner.waitFor();
    expect(await banner.textContent()).toBe('TRAINING — no real payments');
    await till.screenshot('shell-training');
  });

  it('loads with no console error and no failed request: the favicon is served', async () => {
    const { page } = till;
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    await page.reload();
    await page.getByRole('status', { name: 'Training mode' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
    // The page names its icon, so no browser asks for a /favicon.ico that is not there.
    expect(await page.locator('link[rel="icon"]').count()).toBe(1);
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href).toBeTruthy();
    const res = await page.request.get(new URL(href ?? '', page.url()).href);
    const icon = {
      status: res.status(),
      type: res.headers()['content-type'],
      bytes: (await res.body()).length,
    };
    expect(icon).toMatchObject({ status: 200, type: 'image/png' });
    expect(icon.bytes).toBeGreaterThan(100);
  });

  it('Settings has no cashier-facing diagnostics, and opening it writes nothing', async () => {
    const { page, mode } = till;
    const audits = () =>
      mode.core.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_log').get()?.n;
    const before = audits();
    await page.getByRole('button', { name: 'Settings' }).click();
    // The screen shows what the core holds.
    await page.getByLabel('Till name').waitFor();
    const tillName = mode.core.settings.get().tillName;
    expect(tillName).not.toBe('');
    expect(await page.getByLabel('Till name').inputValue()).toBe(tillName);
    expect(await page.getByRole('button', { name: 'Ping the till core' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Diagnostics' }).count()).toBe(0);
    expect(audits()).toBe(before);
    await till.screenshot('settings-without-diagnostics');
  });
});
