import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from '.';
import { migration005 } from './005-payment-attempts-terminal-tid';

const insertAttempt = (db: Database.Database, id: string, tid?: string) => {
  const now = new Date().toISOString();
  const cols = tid === undefined ? '' : ', terminal_tid';
  const vals = tid === undefined ? '' : ', ?';
  db.prepare(
    `INSERT INTO payment_attempts (id, kind, amount_minor, currency, terminal_id, state, is_final, created_at, updated_at${cols})
     VALUES (?, 'sale', 100, 'GBP', 'tm_1', 'succeeded', 1, ?, ?${vals})`,
  ).run(id, now, now, ...(tid === undefined ? [] : [tid]));
};

describe('migration 005 payment-attempts-terminal-tid', () => {
  it('is the fifth migration, appended last', () => {
    expect(migrations.map((m) => m.version).indexOf(5)).toBe(4);
    expect(migrations.find((m) => m.version === 5)).toBe(migration005);
  });

  it('adds a nullable terminal_tid; attempts made before it keep NULL', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version < migration005.version),
    );
    insertAttempt(db, 'old');
    migrate(
      db,
      migrations.filter((m) => m.version <= migration005.version),
    );
    expect(schemaVersion(db)).toBe(5);
    const col = db
      .prepare<[], { name: string; type: string; notnull: number }>(
        "SELECT name, type, \"notnull\" FROM pragma_table_info('payment_attempts') WHERE name = 'terminal_tid'",
      )
      .get();
    expect(col).toEqual({ name: 'terminal_tid', type: 'TEXT', notnull: 0 });
    insertAttempt(db, 'new', '28340001');
    const rows = db.prepare('SELECT id, terminal_tid FROM payment_attempts ORDER BY id').all();
    expect(rows).toEqual([
      { id: 'new', terminal_tid: '28340001' },
      { id: 'old', terminal_tid: null },
    ]);
    db.close();
  });
});
