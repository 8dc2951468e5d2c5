import { z } from 'zod';
import { channel } from './define';

/** The link to the shop database (several tills, one PostgreSQL), as the status bar shows it. */
export type ShopLinkStatus = {
  /** `off`: this till works alone (no shop database configured). */
  state: 'off' | 'connecting' | 'connected' | 'unreachable' | 'refused';
  /** Changes committed here that the shop database has not acknowledged yet. */
  behind: number;
  reason: string | null;
  /** Where the address comes from; the address itself (it holds a password) never leaves main. */
  source: 'none' | 'settings' | 'environment';
  /** Catalogue rows from the shop that this till refused, with the reason. */
  refusedRows: { id: string; reason: string }[];
};

export const shopUrlSchema = z
  .string()
  .trim()
  .min(1, 'Paste the address the shop administrator gave you')
  .max(2000, 'That address is too long')
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'The address starts with postgresql://');

export const shopChannels = {
  'shop:status': channel<ShopLinkStatus>()(z.undefined()),
  /** Checks the address (login, schema, registered till), then stores it (main only) and joins. */
  'shop:connect': channel<ShopLinkStatus>()(z.object({ url: shopUrlSchema }).strict()),
  /** Leaves the shop: the till keeps its own records and works alone. */
  'shop:disconnect': channel<ShopLinkStatus>()(z.undefined()),
} as const;
