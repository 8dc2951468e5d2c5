import type { ShopLinkStatus } from './shop.contract';
import { z } from 'zod';
import { channel, event } from './define';

export const tillModes = ['training', 'sandbox', 'production'] as const;
export type TillMode = (typeof tillModes)[number];

export type AppInfo = {
  name: 'OpenTill';
  version: string;
  mode: TillMode;
  transport: 'electron' | 'websocket';
  tillId: string;
  currency: 'GBP' | 'EUR';
};

export type ConnectivityState = 'online' | 'offline' | 'unknown';

export type TillStatus = {
  mode: TillMode;
  dojo: { state: ConnectivityState; checkedAt: string | null; reason: string | null };
  queue: { pending: number; failed: number };
  printer: {
    state: 'ready' | 'offline' | 'none' | 'unknown';
    pendingJobs: number;
    reason: string | null;
    /** The last receipt that will never print and why (the printer itself may be fine). */
    notPrinted?: string;
  };
  /** Attempts that need the operator before a new sale can start (docs/PAYMENTS.md rule 8). */
  needsAttention: number;
  /** The link to the shop database; `off` when this till works alone. */
  shop?: { state: ShopLinkStatus['state']; behind: number; reason: string | null };
};

export const appChannels = {
  'app:info': channel<AppInfo>()(z.undefined()),
  /** Round trip through the core and the database: stores and returns a note. */
  'app:ping': channel<{ echo: string; storedAt: string; pings: number }>()(
    z.object({ echo: z.string().min(1).max(200) }).strict(),
  ),
  'status:get': channel<TillStatus>()(z.undefined()),
} as const;

export const appEvents = {
  'status:changed': event<TillStatus>(),
} as const;
