import type pg from 'pg';
import { TillError } from '../../src-shared/errors';
import { connectTill, describeShopError } from './shop-link';

/**
 * The manager path: what the shop shares with its tills (catalogue, staff, settings) is
 * read-only to a till's role. A manager signed in on a till edits it through the till, which takes
 * the manager right (`SET LOCAL ROLE opentill_manager`) for that one transaction only. Row-level
 * security still ties the write to the till's own shop.
 *
 * Every failure becomes a plain-words SHOP_UNAVAILABLE naming what was not saved: a joined till
 * never keeps an edit of its own that the shop does not have.
 */
export async function asShopManager<T>(
  url: string | null,
  what: string,
  work: (client: pg.Client) => Promise<T>,
  options: { connectTimeoutMs?: number } = {},
): Promise<T> {
  if (!url) {
    throw new TillError(
      'SHOP_UNAVAILABLE',
      `This till is joined to a shop but has no shop database address: ${what} was not saved. Set the address in Settings → Shop database.`,
    );
  }
  let client: pg.Client | null = null;
  try {
    client = (await connectTill(url, options)).client;
    await client.query('BEGIN');
    await client.query('SET LOCAL ROLE opentill_manager');
    const value = await work(client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client?.query('ROLLBACK').catch(() => undefined);
    if (error instanceof TillError) throw error;
    throw shopEditRefused(error, what);
  } finally {
    await client?.end().catch(() => undefined);
  }
}

/** Why a shop edit was refused, in the words the manager reads on the screen. */
export function shopEditRefused(error: unknown, what: string): TillError {
  const described = describeShopError(error);
  return new TillError(
    'SHOP_UNAVAILABLE',
    described.state === 'unreachable'
      ? `The shop database cannot be reached, so ${what} was not saved on this till or the shop. This till keeps selling with the shop’s last copy; try again when the shop link is back.`
      : `The shop database refused the change, so ${what} was not saved: ${described.message}`,
    { retryable: described.state === 'unreachable', cause: error },
  );
}
