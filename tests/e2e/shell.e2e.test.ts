import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTill, type Till } from './support/harness';

describe('browser mode shell', () => {
  let till: Till;
  beforeAll(async () => {
    till = await openTill();
  });
  afterAll(async () => {
    await till?.close();
  });

  it('shows the permanent training banner when no Dojo key is set', async () => {
    const banner = till.page.getByRole('status', { name: 'Training mode' });
    await banner.waitFor();
    expect(await banner.textContent()).toBe('TRAINING — no real payments');
    await till.screenshot('shell-training');
  });

  it('completes an IPC round trip through the real core and database', async () => {
    const { page, mode } = till;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Ping message').fill('e2e round trip');
    await page.getByRole('button', { name: 'Ping the till core' }).click();
    await page.getByText('Core answered “e2e round trip”').waitFor();
    const row = mode.core.db
      .prepare<[], { details: string }>(
        "SELECT details FROM audit_log WHERE action = 'app.ping' ORDER BY id DESC LIMIT 1",
      )
      .get();
    expect(JSON.parse(row?.details ?? '{}')).toEqual({ echo: 'e2e round trip' });
  });
});
