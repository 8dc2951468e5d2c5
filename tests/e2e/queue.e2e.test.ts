import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTill, type Till } from './support/harness';
import { basketOf, chooseTerminal, payByCardFromBasket, prompt, ready } from './support/actions';

describe('queued work: a dead letter shown in plain words, retried, and discarded', () => {
  let till: Till;
  beforeAll(async () => {
    till = await openTill({ viewport: { width: 1280, height: 800 } });
    await ready(till.page);
    await chooseTerminal(till.page, '28340001');
  });
  afterAll(async () => {
    await till?.close();
  });

  const sim = () => till.sim();
  const lastSale = () =>
    till.mode.core.db
      .prepare<[], { id: string }>(
        "SELECT id FROM payment_attempts WHERE kind = 'sale' AND state LIKE '%succeeded%' ORDER BY created_at DESC LIMIT 1",
      )
      .get()?.id ?? '';
  /** A server refund Dojo refuses: its outbox item stops at once and waits for a person. */
  const deadRefund = async (amountMinor: number) => {
    sim().injectFault({
      kind: 'http-error',
      path: '/payment-intents/*/refunds',
      status: 400,
      count: 1,
    });
    const r = await till.mode.core.dispatch('refunds:server', {
      originalAttemptId: lastSale(),
      amountMinor,
      idempotencyKey: randomUUID(),
    });
    expect(r.ok).toBe(false);
  };

  it('from the status bar to retry and discard', async () => {
    const { page } = till;
    await basketOf(page, '12.50');
    await payByCardFromBasket(page);
    await prompt(page).filter({ hasText: 'Payment approved' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'New sale' }).click();

    await deadRefund(500);
    const pill = page.getByRole('button', { name: 'Queued work' });
    await pill.filter({ hasText: '1 stopped — needs a person' }).waitFor();
    await pill.click();
    const dialog = page.getByRole('dialog', { name: 'Queued work' });
    const item = dialog.getByRole('listitem').filter({ hasText: 'Refund of £5.00 to the card' });
    await item.filter({ hasText: /Stopped after 1 try — needs a person/ }).waitFor();
    await till.screenshot('queue-dead-letter');

    await item.getByRole('button', { name: 'Retry' }).click();
    await dialog.getByText('Nothing is waiting: everything queued has been sent.').waitFor();
    await pill.filter({ hasText: /^Queued: 0$/ }).waitFor();
    expect(
      sim()
        .records()
        .refunds.map((r) => r.amount),
    ).toEqual([500]);
    await till.screenshot('queue-retried');

    await deadRefund(300);
    expect((await till.mode.core.dispatch('manager:set-pin', { newPin: '2468' })).ok).toBe(true);
    const second = dialog.getByRole('listitem').filter({ hasText: 'Refund of £3.00 to the card' });
    await second.getByRole('button', { name: 'Discard…' }).click();
    const form = second.getByRole('form');
    await form.getByLabel('Reason').fill('Refunded in cash at the counter');
    await form.getByLabel('Manager PIN').fill('1111');
    await form.getByRole('button', { name: 'Discard for good' }).click();
    await form.getByRole('alert').filter({ hasText: 'manager PIN is not right' }).waitFor();
    await till.screenshot('queue-discard-form');
    await form.getByLabel('Manager PIN').fill('2468');
    await form.getByRole('button', { name: 'Discard for good' }).click();
    await dialog.getByText('Nothing is waiting: everything queued has been sent.').waitFor();
    await dialog.getByText('Discarded (1)').click();
    await dialog
      .getByRole('list', { name: 'Discarded work' })
      .getByText(/Discarded by a manager at .*: Refunded in cash at the counter/)
      .waitFor();
    await till.screenshot('queue-discarded');
    expect(
      sim()
        .records()
        .refunds.map((r) => r.amount),
    ).toEqual([500]);
    const journal = till.mode.core.db
      .prepare<[], { action: string }>(
        "SELECT action FROM audit_log WHERE action LIKE 'queue.%' ORDER BY id",
      )
      .all()
      .map((r) => r.action);
    expect(journal).toEqual(['queue.retry', 'queue.discard']);
  });
});
