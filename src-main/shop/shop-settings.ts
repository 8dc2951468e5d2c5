import type pg from 'pg';
import { settingsPatchSchema, type Settings } from '../../src-shared/contract';
import type { Db } from '../db/connection';
import { readSetting, writeSetting } from '../platform/key-value';
import { asShopManager } from './shop-edits';

/**
 * The shop's settings: what a receipt says about the shop (name, address, VAT number, footer) is
 * the same on every till of the shop. Pulled by their own version cursor like the catalogue,
 * applied through the till's settings (so receipts print them with the shop database down), and
 * written by a manager through the manager right, like the catalogue.
 */
export const sharedSettingKeys = ['shopName', 'shopAddress', 'vatNumber', 'receiptFooter'] as const;
export type SharedSettings = Partial<Pick<Settings, (typeof sharedSettingKeys)[number]>>;

/** A settings change as the channel hands it over (a key may be present and undefined). */
export type SettingsChange = { [K in keyof Settings]?: Settings[K] | undefined };

/** The part of a settings change that is the shop's. */
export function sharedPart(patch: SettingsChange): SharedSettings {
  const out: SharedSettings = {};
  for (const key of sharedSettingKeys) {
    const value = patch[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

const CURSOR_KEY = 'shop.settings-cursor';

function readCursor(db: Db, shopId: string): number {
  const v = readSetting(db, CURSOR_KEY) as { shopId?: unknown; cursor?: unknown } | undefined;
  return v?.shopId === shopId && typeof v.cursor === 'number' ? v.cursor : 0;
}

/** Joining (again): the shop's settings come down whole. */
export function forgetSettingsCursor(db: Db): void {
  writeSetting(db, CURSOR_KEY, null);
}

/**
 * Pulls the shop's settings changed after the cursor. Each value is checked like one typed in
 * Settings; one that fails is refused by name. Keys this till does not share are left alone (a
 * newer till may share more).
 */
export async function pullShopSettings(
  client: pg.Client,
  db: Db,
  shopId: string,
  apply: (patch: SharedSettings) => void,
): Promise<{ applied: number; refused: { id: string; reason: string }[]; seen: string[] }> {
  const result = await client.query<{ key: string; value: unknown; version: string }>(
    `SELECT key, value, version FROM opentill.shop_settings
      WHERE shop_id = opentill.current_shop() AND version > $1 ORDER BY version`,
    [readCursor(db, shopId)],
  );
  const last = result.rows[result.rows.length - 1];
  if (!last) return { applied: 0, refused: [], seen: [] };
  let patch: SharedSettings = {};
  const refused: { id: string; reason: string }[] = [];
  for (const row of result.rows) {
    if (!(sharedSettingKeys as readonly string[]).includes(row.key)) continue;
    const parsed = settingsPatchSchema.safeParse({ [row.key]: row.value });
    if (parsed.success) patch = { ...patch, ...sharedPart(parsed.data) };
    else
      refused.push({
        id: `setting:${row.key}`,
        reason: `shop setting ${row.key}: ${parsed.error.issues[0]?.message ?? 'not valid'}`,
      });
  }
  const applied = Object.keys(patch).length;
  if (applied) apply(patch);
  writeSetting(db, CURSOR_KEY, { shopId, cursor: Number(last.version) });
  return { applied, refused, seen: result.rows.map((r) => `setting:${r.key}`) };
}

/** A manager's change of the shop's settings, as `opentill_manager` for this one transaction. */
export async function publishShopSettings(
  url: string | null,
  patch: SharedSettings,
): Promise<void> {
  const entries = Object.entries(patch);
  if (entries.length === 0) return;
  await asShopManager(url, 'the change to the shop’s details', async (client) => {
    for (const [key, value] of entries)
      await client.query(
        `INSERT INTO opentill.shop_settings (shop_id, key, value)
         VALUES (opentill.current_shop(), $1, $2::jsonb)
         ON CONFLICT (shop_id, key) DO UPDATE SET value = EXCLUDED.value`,
        [key, JSON.stringify(value)],
      );
  });
}
