import type { z } from 'zod';
import type { Result } from '../errors';
import { appChannels, appEvents } from './app.contract';
import { settingsChannels } from './settings.contract';
import { ordersChannels, ordersEvents } from './orders.contract';
import { paymentsChannels, paymentsEvents } from './payments.contract';
import { printingChannels, printingEvents } from './printing.contract';
import { updatesChannels, updatesEvents } from './updates.contract';
import { backupsChannels } from './backups.contract';
import { queueChannels } from './queue.contract';
import { shopChannels } from './shop.contract';
import { staffChannels, staffEvents } from './staff.contract';
import { returnsChannels } from './returns.contract';
import { tendersChannels } from './tenders.contract';
import { reportsChannels } from './reports.contract';
import type { ChannelDef, EventDef } from './define';

/** The one contract both processes know. Each feature owns its `<domain>.contract.ts`. */
export const channels = {
  ...appChannels,
  ...settingsChannels,
  ...ordersChannels,
  ...paymentsChannels,
  ...printingChannels,
  ...reportsChannels,
  ...updatesChannels,
  ...backupsChannels,
  ...queueChannels,
  ...shopChannels,
  ...staffChannels,
  ...returnsChannels,
  ...tendersChannels,
} as const;

export const events = {
  ...appEvents,
  ...ordersEvents,
  ...paymentsEvents,
  ...printingEvents,
  ...updatesEvents,
  ...staffEvents,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type Events = typeof events;
export type EventName = keyof Events;

export type InputOf<C extends ChannelName> = z.input<Channels[C]['input']>;
export type ParsedInputOf<C extends ChannelName> = z.output<Channels[C]['input']>;
export type OutputOf<C extends ChannelName> =
  Channels[C] extends ChannelDef<z.ZodType, infer O> ? O : never;
export type PayloadOf<E extends EventName> = Events[E] extends EventDef<infer P> ? P : never;

export const channelNames = Object.keys(channels) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}

type Args<C extends ChannelName> =
  undefined extends InputOf<C> ? [input?: InputOf<C>] : [input: InputOf<C>];

/** What the renderer sees as `till`: one method per channel, plus `on` for events. */
export type TillApi = { [C in ChannelName]: (...args: Args<C>) => Promise<Result<OutputOf<C>>> } & {
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void;
};

/** The main-side handler map: a handler receives the parsed input. */
export type Handler<C extends ChannelName> = (
  input: ParsedInputOf<C>,
) => Promise<OutputOf<C>> | OutputOf<C>;
export type Handlers = { [C in ChannelName]: Handler<C> };

export type { ChannelDef, EventDef } from './define';
export * from './app.contract';
export * from './settings.contract';
export * from './backups.contract';
export * from './queue.contract';
export * from './shop.contract';
export * from './tenders.contract';
