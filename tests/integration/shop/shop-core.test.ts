import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/core';
import type { Product } from '../../../src-shared/domain/catalogue';
import type { Order } from '../../../src-shared/domain/orders';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { memorySink } from '../../../src-main/logging/logger';
import { createShop, migrateShopDatabase, registerTill } from '../../../src-main/shop/shop-admin';
import { startTestPostgres, withClient, type TestPostgres } from '../../support/postgres';
import { tempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';
import { signInManager } from '../../support/staff';

let pgServer: TestPostgres;
let shopId: string;
let tillUrl: string;

beforeAll(async () => {
  pgServer = await startTestPostgres();
  await migrateShopDatabase(pgServer.adminUrl);
  shopId = (await createShop(pgServer.adminUrl, { name: 'Corner' })).id;
  tillUrl = (await registerTill(pgServer.adminUrl, { shopId, name: 'Counter 1', tillId: 'core-1' }))
    .connectionUrl;
}, 60_000);
afterAll(async () => pgServer?.stop());

describe('a till joins its shop through Settings (the real core over its channels)', () => {
  it('refuses a bad address in plain words, joins with a good one, sends its sales, never echoes the password', async () => {
    const dir = tempDir();
    const logs = memorySink();
    const core: Core = await createCore({
      dataDir: dir.path,
      env: {},
      secretStore: memorySecretStore(),
      transport: 'websocket',
      version: 'test',
      logSinks: [logs],
      simulatorTimeScale: 0.02,
    });
    signInManager(core);
    try {
      expect(core.status().shop?.state).toBe('off');
      const bad = await core.dispatch('shop:connect', { url: 'https://example.com/x' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      const wrong = await core.dispatch('shop:connect', {
        url: tillUrl.replace(/:[^:@/]+@/, ':not-the-password@'),
      });
      expect(wrong).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(/password is wrong/) as unknown },
      });

      // A sale made before joining is sent too: the shop receives the till's whole history.
      const list = await core.dispatch('catalogue:list', undefined);
      if (!list.ok) throw new Error('no catalogue');
      const product = (list.value as Product[])[0];
      if (!product) throw new Error('no product');
      const created = await core.dispatch('orders:create', {
        lines: [{ kind: 'product', productId: product.id, quantity: 2 }],
      });
      if (!created.ok) throw new Error(created.error.message);
      const order = { value: created.value as Order };
      const paid = await core.dispatch('orders:pay-cash', {
        idempotencyKey: randomUUID(),
        orderId: order.value.id,
        amountMinor: order.value.totalMinor,
        tenderedMinor: order.value.totalMinor,
      });
      expect(paid.ok).toBe(true);

      const joined = await core.dispatch('shop:connect', { url: tillUrl });
      expect(joined).toMatchObject({ ok: true, value: { source: 'settings' } });
      await waitFor(
        () => core.status().shop?.state === 'connected' && core.status().shop?.behind === 0,
        'condition',
        15_000,
      );
      const remote = await withClient(pgServer.adminUrl, (c) =>
        c.query<{ reference: string; total_minor: string; status: string }>(
          "SELECT reference, total_minor, status FROM opentill.orders WHERE till_id = 'core-1'",
        ),
      );
      expect(remote.rows).toEqual([
        {
          reference: order.value.reference,
          total_minor: String(order.value.totalMinor),
          status: 'paid',
        },
      ]);
      // The address holds the till's password: it stays in main, out of the log and every answer.
      const password = new URL(tillUrl).password;
      expect(JSON.stringify(await core.dispatch('shop:status', undefined))).not.toContain(password);
      expect(JSON.stringify(logs.records)).not.toContain(password);
      expect(readFileSync(join(dir.path, 'logs', 'opentill.log'), 'utf8')).not.toContain(password);

      const left = await core.dispatch('shop:disconnect', undefined);
      expect(left).toMatchObject({ ok: true, value: { state: 'off', source: 'none' } });
    } finally {
      await core.close();
      dir.remove();
    }
  }, 60_000);

  it('stores the address in a private file in browser mode', async () => {
    const dir = tempDir();
    const core = await createCore({
      dataDir: dir.path,
      env: {},
      secretStore: memorySecretStore(),
      transport: 'websocket',
      version: 'test',
      simulatorTimeScale: 0.02,
    });
    signInManager(core);
    try {
      expect((await core.dispatch('shop:connect', { url: tillUrl })).ok).toBe(true);
      const mode = statSync(join(dir.path, 'shop-database-url')).mode & 0o777;
      expect(mode).toBe(0o600);
    } finally {
      await core.close();
      dir.remove();
    }
  }, 60_000);
});
