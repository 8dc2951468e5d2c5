import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src-main/db/connection';
import { silentLogger } from '../../../src-main/logging/logger';
import { createPrintService, type PrintService } from '../../../src-main/printing/print-service';
import { createReportsService } from '../../../src-main/reports/reports.service';
import {
  startVirtualPrinter,
  type VirtualPrinter,
} from '../../../src-main/printing/dev/virtual-printer';
import type { Settings } from '../../../src-shared/contract/settings.contract';
import { baseSettings, freePort, seedPaidOrder, seedRefund } from './seed';
import { waitFor } from '../../support/wait';

const fast = { backoff: { baseMs: 20, maxMs: 100 }, connectTimeoutMs: 500 };

describe('print service: journal, retries, restart, reprint, Z report', () => {
  let dir: string;
  let file: string;
  let db: Db;
  let settings: Settings;
  const services: PrintService[] = [];
  const printers: VirtualPrinter[] = [];
  const service = (d: Db = db) => {
    const s = createPrintService({
      db: d,
      logger: silentLogger,
      getSettings: () => settings,
      worker: fast,
      timeZone: 'Europe/London',
    });
    services.push(s);
    return s;
  };
  const printerOn = async (port = 0) => {
    const p = await startVirtualPrinter({ port });
    printers.push(p);
    return p;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opentill-print-'));
    file = join(dir, 'till.db');
    db = openDatabase(file);
  });
  afterEach(async () => {
    for (const s of services.splice(0)) await s.stop();
    for (const p of printers.splice(0)) await p.close();
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a cash sale (drawer kick first) and a signed card sale with its merchant copy', async () => {
    const printer = await printerOn();
    settings = baseSettings(printer.url);
    const s = service();
    s.start();
    const cash = seedPaidOrder(db, {
      reference: 'R-1',
      lines: [{ name: 'Tea', qty: 1, unit: 250, vatBp: 2000 }],
      pay: 'cash',
      cashHanded: 500,
    });
    expect(s.onOrderCompleted(cash).map((j) => j.kind)).toEqual(['drawer', 'customer']);
    const card = seedPaidOrder(db, {
      reference: 'R-2',
      lines: [{ name: 'Cake', qty: 2, unit: 300, vatBp: 2000 }],
      pay: 'card',
      signature: true,
    });
    expect(s.onOrderCompleted(card).map((j) => j.kind)).toEqual(['customer', 'merchant']);
    expect(s.onOrderCompleted(card)).toEqual([]); // a second call prints nothing twice
    const jobs = await printer.waitForJobs(4);
    expect(jobs[0]?.decoded.items.map((i) => i.type)).toEqual(['drawer']);
    expect(jobs[1]?.decoded.text).toContain('CHANGE');
    expect(jobs[1]?.decoded.text).toContain('Cash tendered                              £5.00');
    expect(jobs[3]?.decoded.text).toContain('MERCHANT COPY');
    expect(jobs[3]?.decoded.text).toContain('PLEASE SIGN BELOW');
    expect(jobs[3]?.decoded.text).toContain('Customer signature:');
    await waitFor(
      () => s.jobsForOrder(card).every((j) => j.status === 'printed'),
      'jobs printed',
      2000,
    );
  });

  it('printer down at the sale: prints once it is back, exactly once, also across a restart on the same file', async () => {
    const port = await freePort();
    settings = baseSettings(`tcp://127.0.0.1:${port}`);
    const first = service();
    first.start();
    const orderId = seedPaidOrder(db, {
      reference: 'R-77',
      lines: [{ name: 'Scone', qty: 1, unit: 280, vatBp: 0 }],
      pay: 'card',
    });
    const [job] = first.onOrderCompleted(orderId); // returns at once: the sale never waits for paper
    expect(job?.status).toBe('pending');
    // Observe a moment between attempts: waiting, retried, with the real reason recorded.
    await waitFor(
      () => {
        const j = first.jobsForOrder(orderId)[0];
        return (
          j?.status === 'pending' &&
          j.attempts >= 2 &&
          /refused the connection/.test(j.lastError ?? '')
        );
      },
      'retries with the reason',
      3000,
    );
    expect(first.status().state).toBe('offline');
    // the till is closed and opened again
    await first.stop();
    db.close();
    db = openDatabase(file);
    const second = service(db);
    second.start();
    const printer = await printerOn(port);
    await printer.waitForJobs(1);
    await waitFor(() => second.jobsForOrder(orderId)[0]?.status === 'printed', 'printed', 3000);
    expect(printer.jobs[0]?.decoded.text).toContain('R-77');
    second.onOrderCompleted(orderId);
    await expect(printer.waitForJobs(2, 300)).rejects.toThrow(/expected 2/);
    expect(printer.jobs).toHaveLength(1);
    expect(second.status().state).toBe('ready');
  });

  it('a receipt a crash cut off (paid, never journalled) prints at the next start, once', async () => {
    const printer = await printerOn();
    settings = baseSettings(printer.url);
    // The till died between committing these payments and journalling their receipts.
    const recent = seedPaidOrder(db, {
      reference: 'R-CUT',
      lines: [{ name: 'Bun', qty: 1, unit: 150, vatBp: 0 }],
      pay: 'card',
    });
    const refund = seedRefund(db, recent, 100);
    const old = seedPaidOrder(db, {
      reference: 'R-OLD',
      lines: [{ name: 'Tea', qty: 1, unit: 200, vatBp: 0 }],
      pay: 'card',
      completedAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
    });
    const s = service();
    s.start();
    const jobs = await printer.waitForJobs(2);
    expect(jobs.map((j) => /R-CUT/.test(j.decoded.text))).toEqual([true, true]);
    expect(jobs.some((j) => /REFUND/i.test(j.decoded.text))).toBe(true);
    // Hours-old sales are not printed out of the blue; a second start prints nothing again.
    expect(s.jobsForOrder(old)).toEqual([]);
    await waitFor(
      () =>
        db
          .prepare("SELECT count(*) AS n FROM print_jobs WHERE status != 'printed'")
          .pluck()
          .get() === 0,
      'printed',
      2000,
    );
    await s.stop();
    const again = service();
    again.start();
    await expect(printer.waitForJobs(3, 400)).rejects.toThrow(/expected 3/);
    expect(refund).toBeDefined();
  });

  it('jobs left "printing" by a crash are retried at start', async () => {
    const printer = await printerOn();
    settings = baseSettings(printer.url);
    const s1 = service();
    const orderId = seedPaidOrder(db, {
      reference: 'R-9',
      lines: [{ name: 'Bun', qty: 1, unit: 150, vatBp: 0 }],
      pay: 'card',
    });
    const [job] = s1.onOrderCompleted(orderId); // not started: nothing prints
    db.prepare(`UPDATE print_jobs SET status = 'printing' WHERE id = ?`).run(job?.id);
    const s2 = service();
    s2.start();
    await printer.waitForJobs(1);
    await waitFor(() => s2.jobsForOrder(orderId)[0]?.status === 'printed', 'printed', 2000);
  });

  it('reprint makes a new job for that exact receipt, marked REPRINT, without opening the drawer', async () => {
    const printer = await printerOn();
    settings = baseSettings(printer.url);
    const s = service();
    s.start();
    const orderId = seedPaidOrder(db, {
      reference: 'R-5',
      lines: [{ name: 'Latte', qty: 1, unit: 330, vatBp: 2000 }],
      pay: 'cash',
    });
    const customer = s.onOrderCompleted(orderId).find((j) => j.kind === 'customer');
    await printer.waitForJobs(2);
    settings = { ...settings, shopName: 'Renamed Shop' }; // the reprint is the receipt as it was
    const again = s.reprint(customer?.id ?? '');
    expect(again.reprintOf).toBe(customer?.id);
    const [, original, reprinted] = await printer.waitForJobs(3);
    expect(reprinted?.decoded.text).toContain('*** REPRINT ***');
    expect(reprinted?.decoded.text).toContain('The Corner Café');
    expect(reprinted?.decoded.text.replace(/^.*REPRINT.*\n/, '')).toBe(original?.decoded.text);
    expect(reprinted?.decoded.items.some((i) => i.type === 'drawer')).toBe(false);
    const drawer = s.jobsForOrder(orderId).find((j) => j.kind === 'drawer');
    expect(() => s.reprint(drawer?.id ?? '')).toThrow(/drawer/);
  });

  it('a reprint of a reprint is marked once: the job, not the text, says it is one', async () => {
    const printer = await printerOn();
    settings = baseSettings(printer.url);
    const s = service();
    s.start();
    const orderId = seedPaidOrder(db, {
      reference: 'R-5b',
      lines: [{ name: 'Latte', qty: 1, unit: 330, vatBp: 2000 }],
      pay: 'cash',
    });
    const customer = s.onOrderCompleted(orderId).find((j) => j.kind === 'customer');
    await printer.waitForJobs(2);
    const first = s.reprint(customer?.id ?? '');
    const second = s.reprint(first.id);
    expect(second.reprintOf).toBe(first.id);
    const jobs = await printer.waitForJobs(4);
    const marks = (text = '') => text.split('\n').filter((l) => l.includes('REPRINT')).length;
    expect(jobs.slice(2).map((j) => marks(j.decoded.text))).toEqual([1, 1]);
    expect(jobs[3]?.decoded.text).toBe(jobs[2]?.decoded.text);
  });

  it('the merchant copy names the terminal by its TID, as the day report does', async () => {
    const printer = await printerOn();
    settings = baseSettings(printer.url);
    const s = service();
    s.start();
    const withTid = seedPaidOrder(db, {
      reference: 'R-T1',
      lines: [{ name: 'Cake', qty: 1, unit: 300, vatBp: 2000 }],
      pay: 'card',
      terminalTid: '28340077',
    });
    const withoutTid = seedPaidOrder(db, {
      reference: 'R-T2',
      lines: [{ name: 'Cake', qty: 1, unit: 300, vatBp: 2000 }],
      pay: 'card',
      terminalId: 'tm-back-2',
      terminalTid: null,
    });
    s.printMerchantCopy(withTid);
    s.printMerchantCopy(withoutTid);
    const [a, b] = await printer.waitForJobs(2);
    expect(a?.decoded.text).toContain('MERCHANT COPY');
    expect(a?.decoded.text).toMatch(/Terminal\s+TID 28340077/);
    expect(a?.decoded.text).not.toContain('tm-counter-1');
    expect(b?.decoded.text).toMatch(/Terminal\s+tm-back-2/);
  });

  it('text the printer lacks (old data, Dojo) prints as a visible marker and the job says so; long names wrap', async () => {
    const printer = await printerOn();
    // A shop name saved before input was checked: every receipt used to be refused.
    settings = baseSettings(printer.url, { paperWidth: 58, shopName: 'OpenTill Café ☕' });
    const s = service();
    s.start();
    const bad = seedPaidOrder(db, {
      reference: 'R-6',
      lines: [{ name: 'Борщ soup', qty: 1, unit: 500, vatBp: 2000 }],
      pay: 'cash',
    });
    const [drawer, receipt] = s.onOrderCompleted(bad);
    expect(drawer?.kind).toBe('drawer');
    expect(receipt?.status).toBe('pending');
    expect(receipt?.notice).toMatch(
      /^Printed with "■" in place of "☕" \(U\+2615\), "Б" \(U\+0411\), "о" \(U\+043E\) and 2 more, which the receipt printer cannot print\.$/,
    );
    const [kick, printed] = await printer.waitForJobs(2);
    expect(kick?.decoded.items.map((i) => i.type)).toEqual(['drawer']);
    // Decoded from the bytes: 0xFE is PC858's black square, the rest of the line is intact.
    expect(printed?.decoded.text).toContain('OpenTill Café ■');
    expect(printed?.decoded.text).toContain('■■■■ soup');
    expect(printed?.decoded.text).toContain('R-6');
    await waitFor(() => s.jobsForOrder(bad)[1]?.status === 'printed', 'printed', 2000);
    expect(s.jobsForOrder(bad)[1]?.notice).toMatch(/in place of "☕"/);
    expect(s.status()).toMatchObject({ state: 'ready' });
    expect(s.status().notPrinted).toBeUndefined();
    // A reprint is the receipt as printed: the same markers, the same notice.
    const again = s.reprint(receipt?.id ?? '');
    expect(again.notice).toMatch(/in place of "☕"/);
    const [, , reprinted] = await printer.waitForJobs(3);
    expect(reprinted?.decoded.text).toContain('■■■■ soup');

    const long = seedPaidOrder(db, {
      reference: 'R-8',
      lines: [{ name: 'Extraordinarily '.repeat(20), qty: 1, unit: 100, vatBp: 0 }],
      pay: 'card',
    });
    s.onOrderCompleted(long);
    const [, , , longJob] = await printer.waitForJobs(4);
    expect(longJob?.decoded.text).toContain('R-8');
    expect(longJob?.decoded.text).toMatch(/Extraordinarily\n(.|\n)*\.\.\./);
    for (const i of longJob?.decoded.items ?? [])
      if (i.type === 'text') expect(i.text.length).toBeLessThanOrEqual(32);
  });

  it('a receipt journalled before this version with unprintable text still prints, with markers', async () => {
    const printer = await printerOn();
    settings = baseSettings(printer.url);
    const s = service();
    const orderId = seedPaidOrder(db, {
      reference: 'R-31',
      lines: [{ name: 'Tea', qty: 1, unit: 250, vatBp: 0 }],
      pay: 'card',
    });
    const [job] = s.onOrderCompleted(orderId); // not started yet: nothing prints
    // As an older version stored it: the raw text, no list of replaced characters.
    const stored = JSON.parse(
      (
        db.prepare('SELECT document FROM print_jobs WHERE id = ?').get(job?.id) as {
          document: string;
        }
      ).document,
    ) as { blocks: { type: string; text?: string }[] };
    stored.blocks.push({
      type: 'text',
      text: 'Thank you 🙂',
      align: 'left',
      bold: false,
      size: 'normal',
    } as never);
    db.prepare('UPDATE print_jobs SET document = ? WHERE id = ?').run(
      JSON.stringify(stored),
      job?.id,
    );
    s.start();
    const [printed] = await printer.waitForJobs(1);
    expect(printed?.decoded.text).toContain('Thank you ■');
    await waitFor(() => s.jobsForOrder(orderId)[0]?.status === 'printed', 'printed', 2000);
    expect(s.jobsForOrder(orderId)[0]?.notice).toMatch(/in place of "🙂" \(U\+1F642\)/);
  });

  it('a receipt that can never print: the status says so instead of "ready", until one prints', async () => {
    const printer = await printerOn();
    settings = baseSettings(printer.url);
    const s = service();
    const statuses: (string | undefined)[] = [];
    const orderId = seedPaidOrder(db, {
      reference: 'R-32',
      lines: [{ name: 'Tea', qty: 1, unit: 250, vatBp: 0 }],
      pay: 'card',
    });
    const [job] = s.onOrderCompleted(orderId);
    db.prepare('UPDATE print_jobs SET document = ? WHERE id = ?').run('{"version":1}', job?.id);
    s.start();
    await waitFor(() => s.jobsForOrder(orderId)[0]?.status === 'failed', 'refused', 2000);
    expect(s.status().notPrinted).toMatch(
      /^Receipt .*was not printed: This receipt could not be prepared/,
    );
    statuses.push(s.status().notPrinted);
    const next = seedPaidOrder(db, {
      reference: 'R-33',
      lines: [{ name: 'Tea', qty: 1, unit: 250, vatBp: 0 }],
      pay: 'card',
    });
    s.onOrderCompleted(next);
    await printer.waitForJobs(1);
    await waitFor(() => s.status().notPrinted === undefined, 'cleared by the next receipt', 2000);
    expect(s.status().state).toBe('ready');
  });

  it('a drawer kick that waited for the printer more than a few seconds is dropped, never fired later', async () => {
    const port = await freePort();
    settings = baseSettings(`tcp://127.0.0.1:${port}`);
    const s = service();
    s.start();
    const orderId = seedPaidOrder(db, {
      reference: 'R-40',
      lines: [{ name: 'Scone', qty: 1, unit: 280, vatBp: 0 }],
      pay: 'cash',
    });
    const [kick] = s.onOrderCompleted(orderId);
    expect(kick?.kind).toBe('drawer');
    await waitFor(() => (s.jobsForOrder(orderId)[0]?.attempts ?? 0) >= 1, 'tried once', 3000);
    // Fifteen seconds later the printer is back; nobody is standing at the drawer any more.
    db.prepare('UPDATE print_jobs SET created_at = ? WHERE id = ?').run(
      new Date(Date.now() - 15_000).toISOString(),
      kick?.id,
    );
    const printer = await printerOn(port);
    s.onSettingsChanged(); // try now rather than after the backoff
    const [receipt] = await printer.waitForJobs(1);
    expect(receipt?.decoded.text).toContain('R-40');
    await expect(printer.waitForJobs(2, 300)).rejects.toThrow(/expected 2/);
    expect(printer.jobs.flatMap((j) => j.decoded.items.map((i) => i.type))).not.toContain('drawer');
    expect(s.jobsForOrder(orderId)[0]).toMatchObject({
      kind: 'drawer',
      status: 'failed',
      lastError: expect.stringMatching(/drawer was not opened/) as string,
    });
  });

  it('test print tells the real reason: refused, unknown host, malformed setting, paper out', async () => {
    settings = baseSettings(`tcp://127.0.0.1:${await freePort()}`);
    const s = service();
    expect((await s.testPrint()).message).toMatch(/refused the connection/);
    settings = baseSettings('tcp://no-such-printer.invalid:9100');
    expect((await s.testPrint()).message).toMatch(/unknown host/);
    settings = baseSettings('tcp://till printer:abc');
    expect((await s.testPrint()).message).toMatch(/not valid/);
    const printer = await printerOn();
    printer.setPaperOut(true);
    settings = baseSettings(printer.url);
    const out = await s.testPrint();
    expect(out).toMatchObject({
      ok: false,
      message: expect.stringMatching(/out of paper/) as string,
    });
    printer.setPaperOut(false);
    expect(await s.testPrint()).toMatchObject({ ok: true });
    expect(printer.jobs).toHaveLength(1);
    expect(printer.jobs[0]?.decoded.text).toContain('TEST PRINT');
  });

  it('a malformed printer setting keeps the receipt waiting; it prints once the setting is fixed', async () => {
    settings = baseSettings('tcp://');
    const s = service();
    s.start();
    const orderId = seedPaidOrder(db, {
      reference: 'R-3',
      lines: [{ name: 'Tea', qty: 1, unit: 250, vatBp: 0 }],
      pay: 'card',
    });
    s.onOrderCompleted(orderId);
    await waitFor(
      () => (s.jobsForOrder(orderId)[0]?.lastError ?? '').includes('not valid'),
      'config error',
      2000,
    );
    const printer = await printerOn();
    settings = baseSettings(printer.url);
    await printer.waitForJobs(1);
  });

  it('never says "ready" for a printer setting it cannot use, nor for a new printer not yet heard from', async () => {
    const printer = await printerOn();
    settings = baseSettings(printer.url);
    const s = service();
    s.start();
    const orderId = seedPaidOrder(db, {
      reference: 'R-9',
      lines: [{ name: 'Tea', qty: 1, unit: 250, vatBp: 0 }],
      pay: 'cash',
    });
    s.onOrderCompleted(orderId);
    await waitFor(() => s.status().state === 'ready', 'printer ready', 5000);
    // An invalid target (say from an older version or the environment): not ready, and why.
    settings = baseSettings('tcp://127.0.0.1:99999');
    s.onSettingsChanged();
    expect(s.status()).toMatchObject({
      state: 'offline',
      reason:
        'The printer setting "tcp://127.0.0.1:99999" is not valid: the port must be between 1 and 65535 (usually 9100).',
    });
    // Another valid printer: unknown until it answers, not the old printer's "ready".
    settings = baseSettings('tcp://127.0.0.1:9');
    s.onSettingsChanged();
    expect(s.status().state).not.toBe('ready');
  });

  it('end of day: X report keeps counting, close-day records the Z report and resets the counters', async () => {
    const printer = await printerOn();
    settings = baseSettings(printer.url);
    const s = service();
    s.start();
    const r = createReportsService({
      db,
      logger: silentLogger,
      currency: () => settings.currency,
      printing: s,
    });
    const a = seedPaidOrder(db, {
      reference: 'R-10',
      lines: [{ name: 'Tea', qty: 2, unit: 250, vatBp: 2000 }],
      pay: 'cash',
      cashHanded: 1000,
    });
    seedPaidOrder(db, {
      reference: 'R-11',
      lines: [{ name: 'Bread', qty: 1, unit: 400, vatBp: 0, lineDiscount: 40 }],
      pay: 'card',
    });
    // A card payment from before the till recorded TIDs: the report falls back to Dojo's id.
    seedPaidOrder(db, {
      reference: 'R-12',
      lines: [{ name: 'Scone', qty: 1, unit: 300, vatBp: 0 }],
      pay: 'card',
      terminalId: 'tm-old-terminal',
      terminalTid: null,
    });
    seedRefund(db, a, 250);
    const x = r.endOfDayReport();
    expect(x.summary).toMatchObject({
      ordersCount: 3,
      grossSalesMinor: 1200,
      discountsMinor: 40,
      salesMinor: 1160,
      refundsMinor: 250,
      netMinor: 910,
    });
    expect(x.summary.vatByRate).toEqual([
      { rateBp: 2000, grossMinor: 500, vatMinor: 83 },
      { rateBp: 0, grossMinor: 660, vatMinor: 0 },
    ]);
    expect(x.summary.tenders).toEqual([
      { kind: 'cash', count: 1, amountMinor: 500 },
      { kind: 'card', count: 2, amountMinor: 660 },
    ]);
    expect(x.summary.cardByTerminal).toEqual([
      { terminalId: 'tm-counter-1', terminalTid: '28340001', count: 1, amountMinor: 360 },
      { terminalId: 'tm-old-terminal', terminalTid: null, count: 1, amountMinor: 300 },
    ]);
    const preview = x.document.blocks.flatMap((b) => (b.type === 'columns' ? [b.left] : []));
    expect(preview).toEqual(
      expect.arrayContaining(['  TID 28340001 (1)', '  tm-old-terminal (1)']),
    );
    expect(r.endOfDayReport().summary.ordersCount).toBe(3); // looking does not reset
    // The X report prints on paper too, and printing it resets nothing either.
    const xJob = r.printXReport();
    expect(xJob.status).toBe('pending');
    const [xPrinted] = await printer.waitForJobs(1);
    expect(xPrinted?.decoded.text).toContain('X REPORT - DAY OPEN');
    expect(xPrinted?.decoded.text).toMatch(/NET TAKINGS +£9\.10/);
    expect(r.endOfDayReport().summary.ordersCount).toBe(3);
    const z = r.closeDay('Sam');
    expect(z.document.kind).toBe('z-report');
    const printed = (await printer.waitForJobs(2))[1];
    expect(printed?.decoded.text).toContain('Z REPORT - DAY CLOSED');
    expect(printed?.decoded.text).toMatch(/NET TAKINGS +£9\.10/);
    expect(printed?.decoded.text).toMatch(/TID 28340001 \(1\) +£3\.60/);
    expect(printed?.decoded.text).toMatch(/tm-old-terminal \(1\) +£3\.00/);
    expect(printed?.decoded.text).not.toContain('tm-counter-1');
    expect(r.endOfDayReport().summary).toMatchObject({
      ordersCount: 0,
      salesMinor: 0,
      refundsMinor: 0,
      periodStart: z.closedAt,
    });
  });

  it("leaves out a sale receipt or a refund slip another feature's own paper stands in for", async () => {
    const printer = await printerOn();
    settings = baseSettings(printer.url);
    const s = service();
    const exchangeOrder = seedPaidOrder(db, {
      reference: 'X-1',
      lines: [{ name: 'Coat', qty: 1, unit: 5000, vatBp: 2000 }],
      pay: 'cash',
    });
    const sale = seedPaidOrder(db, {
      reference: 'S-1',
      lines: [{ name: 'Mocha', qty: 1, unit: 380, vatBp: 2000 }],
      pay: 'card',
    });
    const returnRefund = seedRefund(db, sale, 380);
    const standInPrints: string[] = [];
    s.standInForCustomerReceipt((orderId) =>
      orderId === exchangeOrder ? () => (standInPrints.push(orderId), null) : null,
    );
    s.standInForRefundSlip((refundId) => refundId === returnRefund);
    // The exchange's new order: its drawer kick prints, its sale receipt does not.
    expect(s.onOrderCompleted(exchangeOrder).map((j) => j.kind)).toEqual(['drawer']);
    // Print chosen afterwards: the stand-in prints, not a sale receipt.
    expect(s.printCustomerReceipt(exchangeOrder)).toBeNull();
    expect(standInPrints).toEqual([exchangeOrder]);
    // A refund that pays a return gets no refund slip; any other order prints as before.
    expect(s.onRefundCompleted(returnRefund)).toEqual([]);
    expect(s.onOrderCompleted(sale).map((j) => j.kind)).toEqual(['customer']);
  });

  it('refund receipt and preview use the same document as the paper', async () => {
    const printer = await printerOn();
    settings = baseSettings(printer.url);
    const s = service();
    s.start();
    const orderId = seedPaidOrder(db, {
      reference: 'R-20',
      lines: [{ name: 'Mocha', qty: 1, unit: 380, vatBp: 2000 }],
      pay: 'card',
    });
    const refundId = seedRefund(db, orderId, 380);
    s.onRefundCompleted(refundId);
    const [job] = await printer.waitForJobs(1);
    expect(job?.decoded.text).toContain('REFUND');
    expect(job?.decoded.text).toMatch(/AMOUNT REFUNDED +£3\.80/);
    expect(job?.decoded.text).toContain('Reason: Coffee was cold');
    expect(s.preview(refundId, 'refund').document.kind).toBe('refund');
    expect(s.onOrderCompleted('no-such-order')).toEqual([]); // never throws into the payment path
    expect(s.preview(orderId, 'merchant').document.blocks.some((b) => b.type === 'dojo')).toBe(
      true,
    );
  });
});
