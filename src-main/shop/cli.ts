import { parseArgs } from 'node:util';
import { TillError } from '../../src-shared/errors';
import { createShop, migrateShopDatabase, registerTill, revokeTill } from './shop-admin';

/**
 * `npm run shop -- <command> --url <admin URL>`: the shop database's admin commands. The admin
 * URL (a superuser, or the database owner with CREATEROLE) can also come from
 * OPENTILL_SHOP_ADMIN_URL, so it need not sit in the shell history.
 */
const usage = `Usage: npm run shop -- <command> [--url postgresql://admin@host/db]
  migrate                                  apply the shop schema's migrations
  create-shop   --name "Corner Café" [--currency GBP|EUR]
  register-till --shop <shop id> --name "Counter 1" [--till-id <id; default: from the name>]
  revoke-till   --till-id <till id>`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      name: { type: 'string' },
      currency: { type: 'string' },
      shop: { type: 'string' },
      'till-id': { type: 'string' },
    },
  });
  const url = values.url ?? process.env.OPENTILL_SHOP_ADMIN_URL;
  const [command] = positionals;
  if (!command || !url) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  switch (command) {
    case 'migrate': {
      const { from, to } = await migrateShopDatabase(url);
      process.stdout.write(
        from === to ? `Shop schema already at ${to}.\n` : `Shop schema ${from} → ${to}.\n`,
      );
      return 0;
    }
    case 'create-shop': {
      if (!values.name) break;
      const currency = values.currency === 'EUR' ? 'EUR' : 'GBP';
      const shop = await createShop(url, { name: values.name, currency });
      process.stdout.write(`Shop created: ${shop.name} (${shop.currency})\nshop id: ${shop.id}\n`);
      return 0;
    }
    case 'register-till': {
      if (!values.shop || !values.name) break;
      const till = await registerTill(url, {
        shopId: values.shop,
        name: values.name,
        ...(values['till-id'] ? { tillId: values['till-id'] } : {}),
      });
      process.stdout.write(
        `Till registered: ${till.tillId} (PostgreSQL role ${till.role})\n` +
          `Paste this address into the till's Settings → Shop database (it holds the till's password; it is shown once):\n` +
          `${till.connectionUrl}\n`,
      );
      return 0;
    }
    case 'revoke-till': {
      if (!values['till-id']) break;
      await revokeTill(url, values['till-id']);
      process.stdout.write(
        `Till ${values['till-id']} revoked: it can no longer log in or write.\n`,
      );
      return 0;
    }
    default:
      break;
  }
  process.stderr.write(`${usage}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof TillError
        ? error.message
        : `The shop database refused the command: ${(error as { code?: string }).code ?? 'error'} — ${
            (error as Error).message?.replace(/postgres(ql)?:\/\/\S+/g, '<url>') ?? ''
          }`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
