import pg from 'pg';
import { latestShopSchema } from './shop-schema';

/**
 * Connecting a till to its shop database, and saying in plain words what went wrong. Messages
 * are built here from PostgreSQL's error *codes*, never from its text, so no connection string,
 * password or server detail reaches the screen or the log.
 */
export type ShopLinkState = 'off' | 'connecting' | 'connected' | 'unreachable' | 'refused';

export class ShopLinkError extends Error {
  constructor(
    readonly state: 'unreachable' | 'refused',
    message: string,
    readonly detailCode: string,
  ) {
    super(message);
    this.name = 'ShopLinkError';
  }
}

/** Checks a URL's shape without ever echoing it back (it may hold a password). */
export function parseShopUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ShopLinkError(
      'refused',
      'The shop database address is not a URL. It looks like postgresql://till:password@host:5432/shop.',
      'BAD_URL',
    );
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new ShopLinkError(
      'refused',
      'The shop database address must start with postgresql://.',
      'BAD_URL',
    );
  }
  if (!parsed.hostname || !parsed.username) {
    throw new ShopLinkError(
      'refused',
      'The shop database address needs a host and the till’s user name (postgresql://till:password@host/shop).',
      'BAD_URL',
    );
  }
  return parsed;
}

export function describeShopError(error: unknown): ShopLinkError {
  if (error instanceof ShopLinkError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const raw = (error as { message?: unknown } | null)?.message;
  const text = typeof raw === 'string' ? raw : '';
  switch (code) {
    case '28P01':
    case '28000':
      return new ShopLinkError(
        'refused',
        'The shop database refused this till’s login: the password is wrong or the till was revoked. Ask the shop’s administrator for a new connection address.',
        String(code),
      );
    case '42501':
      return new ShopLinkError(
        'refused',
        'The shop database refused this till’s changes: the till is not (or no longer) registered to this shop.',
        '42501',
      );
    case '3D000':
      return new ShopLinkError(
        'refused',
        'The shop database named in the address does not exist.',
        '3D000',
      );
    case '57P01':
    case '57P02':
    case '57P03':
    case '08006':
    case '08001':
    case '08004':
      return new ShopLinkError(
        'unreachable',
        'The shop database closed the connection or is starting up; the till keeps selling and will retry.',
        String(code),
      );
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EPIPE':
      return new ShopLinkError(
        'unreachable',
        'The shop database cannot be reached; the till keeps selling and will send its records when it is back.',
        String(code),
      );
    default:
      break;
  }
  if (/ssl|tls|certificate/i.test(text)) {
    return new ShopLinkError(
      'refused',
      'The secure (TLS) connection to the shop database was refused: check the sslmode and certificates in the address.',
      'TLS',
    );
  }
  if (/Connection terminated|terminating connection|ended unexpectedly/i.test(text)) {
    return new ShopLinkError(
      'unreachable',
      'The shop database closed the connection; the till keeps selling and will retry.',
      'CLOSED',
    );
  }
  if (/timeout|timed out/i.test(text)) {
    return new ShopLinkError(
      'unreachable',
      'The shop database did not answer in time; the till keeps selling and will retry.',
      'TIMEOUT',
    );
  }
  return new ShopLinkError(
    'unreachable',
    'The shop database could not be used just now; the till keeps selling and will retry.',
    typeof code === 'string' ? code : 'UNKNOWN',
  );
}

export type ShopIdentity = { tillId: string; shopId: string; schema: number };

/**
 * Opens a client as the till's role, acting as `opentill_till`, and checks who it is and that
 * the shop schema is the one this till knows.
 */
export async function connectTill(
  url: string,
  options: { connectTimeoutMs?: number } = {},
): Promise<{ client: pg.Client; identity: ShopIdentity }> {
  parseShopUrl(url);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: 30_000,
    application_name: 'opentill',
  });
  // A connection dropping later surfaces on the next query; an unhandled 'error' must not crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
    // Till roles inherit nothing: act as a till before reading anything (it fails when the
    // database was never set up for OpenTill, which the version check below reports).
    await client.query('SET ROLE opentill_till').catch(() => undefined);
    const schema = await client
      .query<{ version: number }>('SELECT version FROM opentill.schema_version')
      .then((r) => r.rows[0]?.version ?? 0)
      .catch(() => 0);
    if (schema !== latestShopSchema) {
      throw new ShopLinkError(
        'refused',
        schema < latestShopSchema
          ? `The shop database is at schema ${schema}; this till needs ${latestShopSchema}. Ask the administrator to run “npm run shop -- migrate”.`
          : `The shop database is at schema ${schema}, newer than this till knows (${latestShopSchema}). Update OpenTill on this till.`,
        'SCHEMA',
      );
    }
    const who = await client.query<{ till: string | null; shop: string | null }>(
      'SELECT opentill.current_till() AS till, opentill.current_shop()::text AS shop',
    );
    const row = who.rows[0];
    if (!row?.till || !row.shop) {
      throw new ShopLinkError(
        'refused',
        'This connection address does not belong to a registered till (it may have been revoked).',
        'NOT_REGISTERED',
      );
    }
    return { client, identity: { tillId: row.till, shopId: row.shop, schema } };
  } catch (error) {
    await client.end().catch(() => undefined);
    throw describeShopError(error);
  }
}
