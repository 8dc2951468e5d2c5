import type { Db } from '../db/connection';

/** Prepares a set of statements once per database connection (hot paths reuse them). */
export function preparedFor<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let stmts = cache.get(db);
    if (!stmts) {
      stmts = build(db);
      cache.set(db, stmts);
    }
    return stmts;
  };
}
