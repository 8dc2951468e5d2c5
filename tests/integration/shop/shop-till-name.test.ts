import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startVirtualPrinter,
  type VirtualPrinter,
} from '../../../src-main/printing/dev/virtual-printer';
import type { EndOfDayReport } from '../../../src-shared/contract/printing.contract';
import { laidOutText, layoutDocument } from '../../../src-shared/domain/receipt-layout';
import type { TestPostgres } from '../../support/postgres';
import { startTestShop, TWO_COUNTERS } from '../../support/test-shop';
import { waitFor } from '../../support/wait';
import { staffCore, type StaffCore } from '../staff/core-fixture';

/**
 * Issue 14: a till joined to a shop prints itself on its X and Z reports as the shop knows it —
 * the name the administrator registered and the prefix its references carry ("Front counter
 * (TILL-A)") — not the local till name every till starts with ("T1"). A till working alone, or
 * one that has left the shop, prints its own name as before. Real core, real PostgreSQL, and the
 * reports read back from the ESC/POS bytes a virtual printer received.
 */
let pgServer: TestPostgres;
let urls: Record<string, string> = {};
beforeAll(async () => {
  ({ server: pgServer, urls } = await startTestShop('Corner', TWO_COUNTERS));
}, 60_000);
afterAll(async () => pgServer?.stop());

/** The one line of a printed report that starts with "Till", spaces folded. */
const tillLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .find((l) => /^Till /.test(l));

describe('the X and Z reports of a till in a shop name the shop’s till', () => {
  let t: StaffCore;
  let printer: VirtualPrinter;
  beforeAll(async () => {
    t = await staffCore();
    printer = await startVirtualPrinter({ port: 0, columns: 48 });
    t.as('manager');
    expect((await t.call('settings:update', { printer: printer.url })).ok).toBe(true);
  });
  afterAll(async () => {
    await t?.close();
    await printer?.close();
  });

  const ok = async <V>(channel: string, input?: unknown): Promise<V> => {
    const r = await t.call<V>(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  /** Prints the X report and answers its text as the printer decoded it. */
  const printedX = async () => {
    const before = printer.jobs.length;
    await ok('reports:print-x');
    const jobs = await printer.waitForJobs(before + 1, 15_000);
    return jobs.slice(before).find((j) => j.decoded.text.includes('X REPORT'))?.decoded.text ?? '';
  };

  it('alone it prints its own till name; joined, the shop’s name and prefix; left, its own again', async () => {
    expect(tillLine(await printedX())).toBe('Till T1');

    await ok('shop:connect', { url: urls['till-a'] });
    await waitFor(() => t.core.status().shop?.state === 'connected', 'the shop link', 15_000);
    const x = await printedX();
    expect(x).toContain('X REPORT - DAY OPEN');
    expect(tillLine(x)).toBe('Till Front counter (TILL-A)');
    // The screen's preview is the same document.
    const preview = await ok<EndOfDayReport>('reports:end-of-day');
    expect(
      tillLine(laidOutText(layoutDocument(preview.document, preview.columns), preview.columns)),
    ).toBe('Till Front counter (TILL-A)');

    // The Z report when the manager closes the day, on paper.
    await ok('day:open', { float: [{ valueMinor: 1000, quantity: 2 }] });
    const before = printer.jobs.length;
    await ok('reports:close-day', { confirm: true, count: [{ valueMinor: 1000, quantity: 2 }] });
    await waitFor(
      () => printer.jobs.slice(before).some((j) => j.decoded.text.includes('Z REPORT')),
      'the Z report on paper',
      15_000,
      50,
    );
    const z =
      printer.jobs
        .slice(before)
        .map((j) => j.decoded.text)
        .find((text) => text.includes('Z REPORT')) ?? '';
    expect(z).toContain('Z REPORT - DAY CLOSED');
    expect(tillLine(z)).toBe('Till Front counter (TILL-A)');
    // The local till name is not on it.
    expect(z).not.toMatch(/^Till\s+T1\s*$/m);

    // Leaving the shop: the till's own name again.
    await ok('shop:disconnect');
    expect(tillLine(await printedX())).toBe('Till T1');
  }, 60_000);
});
