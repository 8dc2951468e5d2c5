import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { TillError } from '../../src-shared/errors';
import { latestShopSchema, shopMigrations, type ShopMigration } from './shop-schema';

/**
 * What an administrator does to the shop database, from `npm run shop -- …` (never from a till):
 * migrate the schema, create a shop, register a till (its own login role) and revoke one.
 * Every function takes a superuser (or database owner with CREATEROLE) connection URL.
 */

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function readShopSchemaVersion(client: pg.ClientBase): Promise<number> {
  const exists = await client.query<{ t: string | null }>(
    "SELECT to_regclass('opentill.schema_version')::text AS t",
  );
  if (!exists.rows[0]?.t) return 0;
  const row = await client.query<{ version: number }>(
    'SELECT version FROM opentill.schema_version',
  );
  return row.rows[0]?.version ?? 0;
}

/** Applies every shop migration above the database's version, each in its own transaction. */
export async function migrateShopDatabase(
  url: string,
  list: readonly ShopMigration[] = shopMigrations,
): Promise<{ from: number; to: number }> {
  return withAdmin(url, async (client) => {
    // One migrator at a time, whoever else runs the command.
    await client.query('SELECT pg_advisory_lock(7171001)');
    try {
      const from = await readShopSchemaVersion(client);
      const latest = list.reduce((max, m) => Math.max(max, m.version), 0);
      if (from > latest) {
        throw new TillError(
          'DB_TOO_NEW',
          `The shop database is at schema ${from}; this OpenTill knows up to ${latest}. Use the newer OpenTill's shop command.`,
        );
      }
      for (const m of [...list].sort((a, b) => a.version - b.version)) {
        if (m.version <= from) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query(
            `INSERT INTO opentill.schema_version (only_row, version) VALUES (true, $1)
             ON CONFLICT (only_row) DO UPDATE SET version = EXCLUDED.version`,
            [m.version],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
      return { from, to: await readShopSchemaVersion(client) };
    } finally {
      await client.query('SELECT pg_advisory_unlock(7171001)');
    }
  });
}

export async function createShop(
  url: string,
  input: { name: string; currency?: 'GBP' | 'EUR'; id?: string },
): Promise<{ id: string; name: string; currency: string }> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 80)
    throw new TillError('VALIDATION', 'A shop name is 1 to 80 characters.');
  const id = input.id ?? randomUUID();
  const currency = input.currency ?? 'GBP';
  await withAdmin(url, (client) =>
    client.query('INSERT INTO opentill.shops (id, name, currency) VALUES ($1, $2, $3)', [
      id,
      name,
      currency,
    ]),
  );
  return { id, name, currency };
}

const TILL_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** The PostgreSQL role a till logs in as: derived from its id, so it is stable and readable. */
export const tillRoleName = (tillId: string) =>
  `opentill_till_${tillId.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;

/**
 * A till id from the till's name when none is given ("Front counter" → front-counter), so the
 * references the till writes in the shop (its prefix is derived from the id) can be read aloud.
 */
export function tillIdOfName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return /^[a-z0-9]/.test(slug) ? slug : `till-${randomUUID().slice(0, 8)}`;
}

/** The name's id, or with -2, -3… when another till (of any shop) already has it. */
async function freeTillId(client: pg.Client, name: string): Promise<string> {
  const base = tillIdOfName(name);
  const taken = new Set(
    (
      await client.query<{ id: string; role_name: string }>(
        `SELECT id, role_name FROM opentill.tills WHERE id = $1 OR id LIKE $2`,
        [base, `${base}-%`],
      )
    ).rows.flatMap((r) => [r.id, r.role_name]),
  );
  const roles = new Set(
    (
      await client.query<{ rolname: string }>(
        'SELECT rolname FROM pg_roles WHERE rolname LIKE $1',
        [`${tillRoleName(base).replace(/_/g, '\\_')}%`],
      )
    ).rows.map((r) => r.rolname),
  );
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!taken.has(id) && !roles.has(tillRoleName(id))) return id;
  }
}

/**
 * Registers a till: a LOGIN role of its own (NOINHERIT, member of opentill_till and
 * opentill_manager) with a random password, and the URL to paste into the till's Settings.
 * Without a till id, the id is made from the till's name (unique in the database).
 */
export async function registerTill(
  url: string,
  input: { shopId: string; name: string; tillId?: string },
): Promise<{ tillId: string; role: string; connectionUrl: string }> {
  if (input.tillId !== undefined && !TILL_ID.test(input.tillId))
    throw new TillError('VALIDATION', 'A till id is letters, digits, - and _ (up to 63).');
  const password = randomBytes(24).toString('base64url');
  let tillId = input.tillId ?? '';
  let role = '';
  await withAdmin(url, async (client) => {
    await client.query('BEGIN');
    try {
      // One registration at a time, so two tills named alike cannot take the same id.
      await client.query('SELECT pg_advisory_xact_lock(7171002)');
      tillId = input.tillId ?? (await freeTillId(client, input.name));
      role = tillRoleName(tillId);
      const shop = await client.query('SELECT 1 FROM opentill.shops WHERE id = $1', [input.shopId]);
      if (shop.rowCount === 0)
        throw new TillError('NOT_FOUND', `No shop with id ${input.shopId} in this database.`);
      const ident = pg.escapeIdentifier(role);
      await client.query(
        `CREATE ROLE ${ident} LOGIN NOINHERIT PASSWORD ${pg.escapeLiteral(password)}`,
      );
      await client.query(`GRANT opentill_till, opentill_manager TO ${ident}`);
      await client.query(
        'INSERT INTO opentill.tills (id, shop_id, name, role_name) VALUES ($1, $2, $3, $4)',
        [tillId, input.shopId, input.name, role],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  });
  const target = new URL(url);
  target.username = role;
  target.password = password;
  return { tillId, role, connectionUrl: target.toString() };
}

/** Revokes a till: its role can no longer log in, its sessions end, and every policy closes. */
export async function revokeTill(url: string, tillId: string): Promise<void> {
  await withAdmin(url, async (client) => {
    const row = await client.query<{ role_name: string }>(
      'UPDATE opentill.tills SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING role_name',
      [tillId],
    );
    const role = row.rows[0]?.role_name;
    if (!role) throw new TillError('NOT_FOUND', `No active till ${tillId} in this database.`);
    await client.query(`ALTER ROLE ${pg.escapeIdentifier(role)} NOLOGIN`);
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1',
      [role],
    );
  });
}

export { latestShopSchema };
