import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTill, screenshotDir, type Till } from './support/harness';
import { ready } from './support/actions';

describe('backups from Settings', () => {
  let till: Till;
  beforeAll(async () => {
    till = await openTill({ viewport: { width: 1280, height: 1000 } });
    await ready(till.page);
  });
  afterAll(async () => {
    await till?.close();
  });

  it('backs up on demand and keeps the number set, newest first', async () => {
    const { page } = till;
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Backups' });
    await panel.getByText('No backups yet.').waitFor();

    await panel.getByLabel('Backups to keep').fill('two');
    await panel.getByRole('button', { name: 'Save number to keep' }).click();
    await panel.getByRole('alert').filter({ hasText: 'whole number of backups' }).waitFor();
    await panel.getByLabel('Backups to keep').fill('2');
    await panel.getByRole('button', { name: 'Save number to keep' }).click();
    await panel.getByText('The newest 2 are kept').waitFor();

    const items = panel.getByRole('list', { name: 'Backups kept' }).getByRole('listitem');
    const dir = join(till.dataDir, 'backups');
    // The screen shows minutes, so two copies made in one minute read alike: follow the files.
    const names = () =>
      (existsSync(dir) ? readdirSync(dir) : [])
        .filter((f) => f.endsWith('.db'))
        .sort()
        .join(',');
    let before = names();
    for (let i = 1; i <= 3; i++) {
      await panel.getByRole('button', { name: 'Back up now' }).click();
      await expect.poll(names).not.toBe(before);
      before = names();
      await expect.poll(() => items.count()).toBe(Math.min(i, 2));
    }
    expect(await items.first().textContent()).toContain('made by hand');
    const files = readdirSync(dir);
    expect(files).toHaveLength(2);
    for (const f of files) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(screenshotDir, 'settings-backups.png') });
  });
});
