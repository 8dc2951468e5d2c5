import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCheck, saveCheckOutcome } from '../../../src-main/cash/dojo-check';
import { insertToMatch, markMatched } from '../../../src-main/tenders/tender-matches.repo';
import { createShop, latestShopSchema, registerTill } from '../../../src-main/shop/shop-admin';
import { disableReplication, enableReplication } from '../../../src-main/shop/change-log.repo';
import { connectTill } from '../../../src-main/shop/shop-link';
import { shopEndOfDay } from '../../../src-main/shop/shop-orders';
import type { DojoCheckResult } from '../../../src-shared/domain/dojo-check';
import { withClient } from '../../support/postgres';
import { startTestShop, TWO_COUNTERS } from '../../support/test-shop';
import { openTill, type TestTill } from './shop-fixture';

/**
 * Shop schema 4 (issue 14 item 3): the last three kinds of record a till commits reach the shop
 * database — the close's Dojo check, cards taken on another terminal waiting to be matched, and
 * the customer's receipt choice — upserted by the till's ids, replayed without change, never
 * moving back, and under row-level security like every other till-owned table.
 */
let shop: Awaited<ReturnType<typeof startTestShop>>;
let otherUrl: string;

beforeAll(async () => {
  shop = await startTestShop('Schema Four', TWO_COUNTERS);
  const other = (await createShop(shop.server.adminUrl, { name: 'Elsewhere' })).id;
  otherUrl = (
    await registerTill(shop.server.adminUrl, { shopId: other, name: 'Far', tillId: 'far' })
  ).connectionUrl;
}, 60_000);
afterAll(async () => shop?.server.stop());

const admin = <T>(sql: string, params: unknown[] = []) =>
  withClient(shop.server.adminUrl, (c) => c.query(sql, params)).then((r) => r.rows as T[]);

const asTill = async <T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> => {
  const { client } = await connectTill(url);
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
};

const TABLES = ['dojo_checks', 'receipt_choices', 'tender_matches'];
const at = (minute: number) => `2026-12-02T17:${String(minute).padStart(2, '0')}:00.000Z`;

/** On `till`: a paid order with a card taken on another terminal, its day's closure. */
function closedDayWithCardElsewhere(till: TestTill, closureId: string) {
  const orderId = till.sell(1);
  const tenderId = `${closureId}-card`;
  till.t.db
    .prepare(
      `INSERT INTO tenders (id, order_id, kind, amount_minor, card_last4, created_at) VALUES (?, ?, 'card_other', 450, '4242', ?)`,
    )
    .run(tenderId, orderId, at(1));
  insertToMatch(till.t.db, tenderId, null);
  till.t.db
    .prepare(
      `INSERT INTO day_closures (id, period_end, orders_count, sales_minor, refunds_minor, currency, summary, closed_by, closed_at)
       VALUES (?, ?, 1, 1000, 0, 'GBP', '{}', 'Ann', ?)`,
    )
    .run(closureId, at(30), at(30));
  insertCheck(till.t.db, {
    closureId,
    windowStart: at(0),
    windowEnd: at(30),
    status: 'pending',
    lastError: 'Dojo could not be reached (api key sk_sandbox_secret refused)',
    result: null,
  });
  till.t.db
    .prepare(
      `INSERT INTO receipt_choices (order_id, choice, email_masked, decided_at) VALUES (?, 'email', 'g***@dojo.com', ?)`,
    )
    .run(orderId, at(2));
  return { orderId, tenderId };
}

const RESULT: DojoCheckResult = {
  matched: { count: 1, amountMinor: 1000 },
  dojoOnly: [
    {
      paymentIntentId: 'pi_dojo',
      reference: 'pi_dojo',
      kind: 'sale',
      amountMinor: 250,
      at: at(10),
      card: '************1096',
    },
  ],
  tillOnly: [],
  checkedAt: at(40),
};

describe('shop schema 4: Dojo checks, cards to match, receipt choices (real PostgreSQL)', () => {
  it('is version 4, each new table under forced row-level security, with no e-mail or error text', async () => {
    expect(latestShopSchema).toBeGreaterThanOrEqual(4);
    expect(
      Number(
        (await admin<{ version: number }>('SELECT version FROM opentill.schema_version'))[0]
          ?.version,
      ),
    ).toBeGreaterThanOrEqual(4);
    const tables = await admin<{ relname: string; rls: boolean; forced: boolean }>(
      `SELECT c.relname, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'opentill' AND c.relname = ANY($1) ORDER BY c.relname`,
      [TABLES],
    );
    expect(tables).toEqual(TABLES.map((relname) => ({ relname, rls: true, forced: true })));
    const columns = await admin<{ c: string }>(
      `SELECT table_name || '.' || column_name AS c FROM information_schema.columns
        WHERE table_schema = 'opentill' AND table_name = ANY($1)
          AND column_name IN ('email_masked', 'last_error', 'tries', 'card')`,
      [TABLES],
    );
    expect(columns).toEqual([]);
  });

  it('each row arrives, moves on with the till, replays without change and never goes back', async () => {
    const till = openTill('till-a', shop.urls['till-a'] ?? null, shop.shopId);
    try {
      till.replicator.start();
      const { orderId, tenderId } = closedDayWithCardElsewhere(till, 'close-a1');
      expect(await till.replicator.drained(10_000)).toBe(true);
      const rows = async () => ({
        check: (
          await admin<Record<string, unknown>>(
            "SELECT till_id, status, result, window_end FROM opentill.dojo_checks WHERE closure_id = 'close-a1'",
          )
        )[0],
        match: (
          await admin<Record<string, unknown>>(
            'SELECT till_id, status, payment_intent_id FROM opentill.tender_matches WHERE tender_id = $1',
            [tenderId],
          )
        )[0],
        choice: (
          await admin<Record<string, unknown>>(
            'SELECT till_id, choice FROM opentill.receipt_choices WHERE order_id = $1',
            [orderId],
          )
        )[0],
      });
      expect(await rows()).toEqual({
        check: {
          till_id: 'till-a',
          status: 'pending',
          result: null,
          window_end: new Date(at(30)),
        },
        match: { till_id: 'till-a', status: 'to_match', payment_intent_id: null },
        choice: { till_id: 'till-a', choice: 'email' },
      });

      // The check completes, the card is matched, the customer asks for print after all.
      saveCheckOutcome(till.t.db, 'close-a1', { result: RESULT });
      expect(markMatched(till.t.db, tenderId, 'pi_elsewhere')).toBe(true);
      till.t.db
        .prepare("UPDATE receipt_choices SET choice = 'print', decided_at = ? WHERE order_id = ?")
        .run(at(5), orderId);
      expect(await till.replicator.drained(10_000)).toBe(true);
      const moved = await rows();
      expect(moved.match).toEqual({
        till_id: 'till-a',
        status: 'matched',
        payment_intent_id: 'pi_elsewhere',
      });
      expect(moved.choice).toEqual({ till_id: 'till-a', choice: 'print' });
      expect(moved.check?.status).toBe('completed');
      // Dojo's masked card goes up as its last four digits only.
      expect(moved.check?.result).toMatchObject({
        matched: { count: 1, amountMinor: 1000 },
        dojoOnly: [{ paymentIntentId: 'pi_dojo', amountMinor: 250, last4: '1096' }],
      });
      const everything = JSON.stringify(
        await admin(
          'SELECT * FROM opentill.dojo_checks UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL',
        ),
      );
      expect(everything).not.toMatch(/\*{4}|card"|sk_sandbox|could not be reached/);
      expect(JSON.stringify(await admin('SELECT * FROM opentill.receipt_choices'))).not.toMatch(
        /dojo\.com/,
      );

      // A replay of the whole history (a crash between PostgreSQL's commit and the local
      // acknowledgement) changes nothing.
      const digest = async () =>
        (
          await admin<{ d: string }>(
            `SELECT md5(coalesce((SELECT string_agg(x::text, '|' ORDER BY x.closure_id) FROM opentill.dojo_checks x), '')
                     || coalesce((SELECT string_agg(x::text, '|' ORDER BY x.tender_id) FROM opentill.tender_matches x), '')
                     || coalesce((SELECT string_agg(x::text, '|' ORDER BY x.order_id) FROM opentill.receipt_choices x), '')) AS d`,
          )
        )[0]?.d;
      const before = await digest();
      await till.replicator.stop();
      till.t.db.exec(`UPDATE replication_state SET acked_seq = 0;
        INSERT INTO change_log (entity, entity_id) SELECT 'dojo_check', closure_id FROM dojo_checks;
        INSERT INTO change_log (entity, entity_id) SELECT 'tender_match', tender_id FROM tender_matches;
        INSERT INTO change_log (entity, entity_id) SELECT 'receipt_choice', order_id FROM receipt_choices;`);
      till.replicator.start();
      expect(await till.replicator.drained(10_000)).toBe(true);
      expect(await digest()).toBe(before);

      // An older state arriving later (here: the till's rows set back, as a late old batch would
      // carry them) never turns a matched card back to "to match" nor a completed check to pending.
      till.t.db
        .prepare(
          "UPDATE tender_matches SET status = 'to_match', payment_intent_id = NULL WHERE tender_id = ?",
        )
        .run(tenderId);
      till.t.db
        .prepare(
          "UPDATE dojo_checks SET status = 'pending', result = NULL, updated_at = ? WHERE closure_id = 'close-a1'",
        )
        .run('2030-01-01T00:00:00.000Z');
      expect(await till.replicator.drained(10_000)).toBe(true);
      const after = await rows();
      expect(after.match?.status).toBe('matched');
      expect(after.check?.status).toBe('completed');
      expect(await digest()).toBe(before);
    } finally {
      await till.close();
    }
  });

  it('a till joining its shop sends the checks, matches and choices it already held', async () => {
    const till = openTill('till-b', shop.urls['till-b'] ?? null, shop.shopId);
    try {
      disableReplication(till.t.db);
      const { orderId, tenderId } = closedDayWithCardElsewhere(till, 'close-b1');
      expect(till.t.db.prepare('SELECT count(*) AS n FROM change_log').get()).toEqual({ n: 0 });
      enableReplication(till.t.db, shop.shopId);
      till.replicator.start();
      expect(await till.replicator.drained(10_000)).toBe(true);
      const arrived = await admin<{ kind: string; till_id: string }>(
        `SELECT 'check' AS kind, till_id FROM opentill.dojo_checks WHERE closure_id = 'close-b1'
         UNION ALL SELECT 'match', till_id FROM opentill.tender_matches WHERE tender_id = $1
         UNION ALL SELECT 'choice', till_id FROM opentill.receipt_choices WHERE order_id = $2`,
        [tenderId, orderId],
      );
      expect(arrived).toEqual([
        { kind: 'check', till_id: 'till-b' },
        { kind: 'match', till_id: 'till-b' },
        { kind: 'choice', till_id: 'till-b' },
      ]);
    } finally {
      await till.close();
    }
  });

  it("a till cannot write another till's rows of the new tables; another shop reads none", async () => {
    const urlB = shop.urls['till-b'] ?? '';
    const forged: [string, string][] = [
      [
        'dojo_checks',
        `INSERT INTO opentill.dojo_checks (shop_id, till_id, closure_id, window_start, window_end, status, updated_at)
         VALUES (opentill.current_shop(), 'till-a', 'forged', now(), now(), 'completed', now())`,
      ],
      [
        'tender_matches',
        `INSERT INTO opentill.tender_matches (shop_id, till_id, tender_id, status, checks, created_at)
         VALUES (opentill.current_shop(), 'till-a', 'forged', 'to_match', 0, now())`,
      ],
      [
        'receipt_choices',
        `INSERT INTO opentill.receipt_choices (shop_id, till_id, order_id, choice, decided_at)
         VALUES (opentill.current_shop(), 'till-a', 'forged', 'none', now())`,
      ],
    ];
    for (const [table, sql] of forged)
      await expect(
        asTill(urlB, (c) => c.query(sql)),
        table,
      ).rejects.toThrow(/row-level security/);
    // Till A's rows (the test above) are there, and B reads them, yet updating them changes none.
    for (const table of TABLES) {
      const seen = await asTill(urlB, (c) =>
        c.query<{ n: string }>(
          `SELECT count(*) AS n FROM opentill.${table} WHERE till_id = 'till-a'`,
        ),
      );
      expect(Number(seen.rows[0]?.n), table).toBeGreaterThan(0);
      const touched = await asTill(urlB, (c) =>
        c.query(`UPDATE opentill.${table} SET till_id = till_id WHERE till_id = 'till-a'`),
      );
      expect(touched.rowCount, table).toBe(0);
      const far = await asTill(otherUrl, (c) =>
        c.query<{ n: string }>(`SELECT count(*) AS n FROM opentill.${table}`),
      );
      expect(Number(far.rows[0]?.n), table).toBe(0);
    }
  });
});

describe('the shop’s closed day: trading days and Dojo checks of each till (real PostgreSQL)', () => {
  /** Till `till` opens a day at `openedAt`, closes it at `closedAt`, its Dojo check as given. */
  function closeDay(
    till: TestTill,
    closureId: string,
    openedAt: string | null,
    closedAt: string,
    check: DojoCheckResult | 'pending',
  ) {
    const db = till.t.db;
    db.prepare(
      `INSERT INTO day_closures (id, period_end, orders_count, sales_minor, refunds_minor, currency, summary, closed_by, closed_at)
       VALUES (?, ?, 0, 0, 0, 'GBP', '{}', 'Ann', ?)`,
    ).run(closureId, closedAt, closedAt);
    if (openedAt)
      db.prepare(
        `INSERT INTO till_days (id, opened_at, float_minor, float_count, currency, closure_id)
         VALUES (?, ?, 5000, '[]', 'GBP', ?)`,
      ).run(`${closureId}-day`, openedAt, closureId);
    insertCheck(db, {
      closureId,
      windowStart: openedAt ?? closedAt,
      windowEnd: closedAt,
      status: 'pending',
      lastError: null,
      result: null,
    });
    if (check !== 'pending') saveCheckOutcome(db, closureId, { result: check });
  }

  it('names the till whose latest closed day is another trading day, and each till’s Dojo check', async () => {
    const own = (await createShop(shop.server.adminUrl, { name: 'Two days' })).id;
    const url = async (tillId: string, name: string) =>
      (await registerTill(shop.server.adminUrl, { shopId: own, name, tillId })).connectionUrl;
    const c = openTill('till-c', await url('till-c', 'Front'), own);
    const d = openTill('till-d', await url('till-d', 'Back'), own);
    const e = openTill('till-e', await url('till-e', 'Kiosk'), own);
    try {
      const read = async () =>
        asTill(c.url ?? '', (client) =>
          shopEndOfDay(client, { closed: true }, () => new Date(), 'Europe/London'),
        );
      // Front's day was yesterday (it worked late, closing after midnight); Back's is today and
      // does not match Dojo by £2.50; Kiosk (no float) closed today, its check still pending.
      closeDay(c, 'c-1', '2026-12-01T16:00:00.000Z', '2026-12-02T00:20:00.000Z', {
        ...RESULT,
        dojoOnly: [],
      });
      closeDay(d, 'd-1', '2026-12-02T07:00:00.000Z', '2026-12-02T18:00:00.000Z', {
        ...RESULT,
        dojoOnly: [],
        tillOnly: [
          {
            paymentIntentId: 'pi_lost',
            reference: 'B-7',
            kind: 'sale',
            amountMinor: 250,
            at: '2026-12-02T12:00:00.000Z',
            card: '************4242',
          },
        ],
      });
      closeDay(e, 'e-1', null, '2026-12-02T17:00:00.000Z', 'pending');
      for (const t of [c, d, e]) t.replicator.start();
      for (const t of [c, d, e]) expect(await t.replicator.drained(10_000)).toBe(true);

      const day = await read();
      expect(day.tills.map((t) => [t.tillName, t.tradingDay, t.dojoCheck])).toEqual([
        ['Back', '2026-12-02', { status: 'differs', differenceMinor: 250, items: 1 }],
        ['Front', '2026-12-01', { status: 'matched', differenceMinor: 0, items: 0 }],
        ['Kiosk', '2026-12-02', { status: 'pending', differenceMinor: 0, items: 0 }],
      ]);
      expect(day.alerts).toEqual([
        'Front’s latest closed day is Tue 1 Dec 2026, not Wed 2 Dec 2026 like Back and Kiosk: ' +
          'the figures below add that earlier day to theirs.',
        'Back’s card takings differ from Dojo’s record by £2.50 (1 payment on one side only): ' +
          'see that till’s Dojo check.',
      ]);

      // Front closes today's day too, and Kiosk's check reaches Dojo: one trading day, no alert
      // about days; Back still differs.
      closeDay(c, 'c-2', '2026-12-02T08:00:00.000Z', '2026-12-02T19:00:00.000Z', {
        ...RESULT,
        dojoOnly: [],
      });
      saveCheckOutcome(e.t.db, 'e-1', { result: { ...RESULT, dojoOnly: [] } });
      for (const t of [c, e]) expect(await t.replicator.drained(10_000)).toBe(true);
      const sameDay = await read();
      expect(sameDay.tills.map((t) => [t.tillName, t.tradingDay, t.dojoCheck?.status])).toEqual([
        ['Back', '2026-12-02', 'differs'],
        ['Front', '2026-12-02', 'matched'],
        ['Kiosk', '2026-12-02', 'matched'],
      ]);
      expect(sameDay.alerts).toEqual([expect.stringMatching(/^Back’s card takings differ/)]);
      // The open day carries no closed-day alerts.
      expect((await asTill(c.url ?? '', (client) => shopEndOfDay(client))).alerts).toEqual([]);
    } finally {
      for (const t of [c, d, e]) await t.close();
    }
  });
});
