import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src-main/db/connection';
import { WAL_BACKSTOP_PAGES, type CheckpointResult } from '../../../src-main/db/checkpoints';

const dir = mkdtempSync(path.join(tmpdir(), 'opentill-checkpoints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const newFile = () => path.join(dir, `till-${++n}.db`);
/** WAL frames the -wal file has room for (it is reused from its start, never shrunk). */
const walFrames = (file: string) => Math.floor((statSync(`${file}-wal`).size - 32) / (4096 + 24));

/** `count` commits of ~3 pages each (a 8 KB row), one after the other with no pause. */
function burst(db: Db, count: number): void {
  db.exec('CREATE TABLE IF NOT EXISTS burst (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO burst (body) VALUES (randomblob(8000))');
  for (let i = 0; i < count; i++) insert.run();
}

/** Opens a till database whose timer reports each checkpoint; `next()` waits for the next one. */
function withCheckpoints(file: string, tickMs: number, busyMs = 5_000) {
  const seen: CheckpointResult[] = [];
  const waiting: (() => void)[] = [];
  const db = openDatabase(file, {
    checkpoints: {
      tickMs,
      busyMs,
      onCheckpoint: (r) => {
        seen.push(r);
        waiting.splice(0).forEach((w) => w());
      },
    },
  });
  const next = () => new Promise<CheckpointResult>((r) => waiting.push(() => r(seen.at(-1)!)));
  return { db, seen, next };
}

/** A paid order row as the orders service writes it (the fields the schema requires). */
function insertOrder(db: Db, id: string, reference: string): void {
  const now = '2026-12-02T10:00:00.000Z';
  db.prepare(
    `INSERT INTO orders (id, reference, status, currency, subtotal_minor, vat_minor, total_minor, till_id, created_at, updated_at, completed_at)
     VALUES (?, ?, 'paid', 'GBP', 100, 17, 100, 'T1', ?, ?, ?)`,
  ).run(id, reference, now, now, now);
}

describe('WAL checkpoints off the sale path', () => {
  it('a commit does not checkpoint at 1,000 WAL pages: the WAL keeps what a busy spell wrote', () => {
    const file = newFile();
    const { db, seen } = withCheckpoints(file, 60_000);
    burst(db, 600); // ~1,800 pages with no pause for the timer
    // SQLite's default would have copied the WAL back at 1,000 pages, inside a commit, and
    // started it again: ~1,000 frames. None of it was checkpointed here.
    expect(walFrames(file)).toBeGreaterThan(1_700);
    expect(seen).toEqual([]);
    db.close();
  });

  it('the WAL stays bounded even if the timer never runs (SQLite checkpoints as a backstop)', () => {
    const file = newFile();
    const { db } = withCheckpoints(file, 60_000);
    burst(db, 2_000); // ~6,000 pages
    expect(walFrames(file)).toBeLessThanOrEqual(WAL_BACKSTOP_PAGES + 10);
    expect(walFrames(file)).toBeGreaterThan(WAL_BACKSTOP_PAGES - 10);
    db.close();
  });

  it('checkpoints all of it once the till pauses, and reuses the WAL from its start', async () => {
    const file = newFile();
    const { db, next } = withCheckpoints(file, 20);
    const sizes: number[] = [];
    for (let round = 0; round < 5; round++) {
      const checkpointed = next();
      burst(db, 100);
      const r = await checkpointed;
      expect(r).toMatchObject({ busy: 0 });
      expect(r.checkpointed).toBe(r.log); // every frame copied into the database file
      sizes.push(walFrames(file));
    }
    // Each spell writes the WAL again from its start: the file does not grow spell after spell.
    expect(new Set(sizes).size).toBe(1);
    expect(sizes[0]).toBeLessThan(1_000); // one spell (~620 frames), not five
    const rows = (db.prepare('SELECT count(*) AS n FROM burst').get() as { n: number }).n;
    expect(rows).toBe(500);
    db.close();
  });

  it("writes the sales' reference suffixes in the pause, and at start-up after a stop", async () => {
    const file = newFile();
    const { db, next } = withCheckpoints(file, 20);
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const suffixes = () => count('SELECT count(*) AS n FROM order_reference_suffixes');
    const pending = () => count('SELECT count(*) AS n FROM order_reference_pending');
    const checkpointed = next();
    for (let i = 1; i <= 3; i++) insertOrder(db, `o${i}`, `T1-20261202-000${i}`);
    // Inside the busy spell the sales noted their references and wrote no suffix.
    expect([pending(), suffixes()]).toEqual([3, 0]);
    const r = await checkpointed;
    expect([pending(), suffixes()]).toEqual([0, 3 * 14]);
    expect(r.checkpointed).toBe(r.log); // the suffixes written in the pause were checkpointed too

    // A till stopped before its pause (the timer never ran): the next start indexes them.
    const stopped = newFile();
    const first = withCheckpoints(stopped, 60_000);
    insertOrder(first.db, 'o1', 'T1-20261202-0101');
    insertOrder(first.db, 'o2', 'T1-20261202-0102');
    first.db.close();
    const again = withCheckpoints(stopped, 60_000);
    const n = (sql: string) => (again.db.prepare(sql).get() as { n: number }).n;
    expect(n('SELECT count(*) AS n FROM order_reference_pending')).toBe(0);
    expect(n("SELECT count(*) AS n FROM order_reference_suffixes WHERE suffix = '0102'")).toBe(1);
    again.db.close();
    db.close();
  });

  it('a till that never pauses is checkpointed anyway within the busy bound', async () => {
    const file = newFile();
    const { db, next } = withCheckpoints(file, 10, 150);
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      while (writing) {
        burst(db, 1);
        writes += 1;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const started = Date.now();
    const r = await next();
    const writesAtCheckpoint = writes;
    writing = false;
    await writer;
    expect(r.checkpointed).toBeGreaterThan(0);
    expect(writesAtCheckpoint).toBeGreaterThan(10); // it did not wait for the writes to stop
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    db.close();
  });

  it('a process killed between commits and checkpoints loses no acknowledged row', async () => {
    const file = newFile();
    openDatabase(file).close(); // migrated first, as a till that has run before
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'checkpoint-kill-child.ts'), file],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let acked = 0;
    let checkpoints = 0;
    let buffered = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const killed = new Promise<string | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        signal ? resolve(signal) : reject(new Error(`child ended (${code}): ${err}`)),
      );
    });
    child.stdout.on('data', (c: Buffer) => {
      buffered += c.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const [word, value] = buffered.slice(0, nl).split(' ');
        buffered = buffered.slice(nl + 1);
        if (word === 'ack') acked = Number(value);
        else if (word === 'checkpoint') checkpoints += 1;
        if (acked >= 1_500 && checkpoints >= 3 && child.exitCode === null) child.kill('SIGKILL');
      }
    });
    expect(await killed).toBe('SIGKILL');
    expect(checkpoints).toBeGreaterThanOrEqual(3);
    // Reopened as after the cut: the WAL's committed frames are replayed, nothing is missing.
    const db = new Database(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const { rows, max } = db
      .prepare('SELECT count(*) AS rows, max(id) AS max FROM burst')
      .get() as { rows: number; max: number };
    db.close();
    expect(max).toBeGreaterThanOrEqual(acked);
    expect(rows).toBe(max); // every row up to the last one, none lost in between
  });
});
