import type { Handlers, TillStatus } from '../../src-shared/contract';
import type { CoreEvents } from './event-bus';

/**
 * The work in progress an update must not interrupt, counted by the features that own it. Each
 * key has one owner, which declares it in its module's type (`FeatureModule<'pendingPrintJobs'>`):
 * a misspelt key does not compile in the module, and compose's merge (typed `TradingCounts`) does
 * not compile while a key has no owner.
 */
export type TradingCounts = {
  /** Card payment attempts that have not reached a final state (payments). */
  livePayments: number;
  /** Terminal refunds not final, plus refunds being sent to Dojo right now (payments). */
  liveRefunds: number;
  /** Receipts and reports journalled but not printed yet (printing). */
  pendingPrintJobs: number;
};

/**
 * What a feature gives the composition root (core/compose.ts): its request handlers, its
 * long-lived work (`start`/`stop`), its part of the till status, the work in progress it owns
 * (`Owned`, the keys of `TradingCounts` it reports) and, for the reader, the core events it emits
 * and listens to. Compose builds the modules in order, subscribes listeners and starts them; it
 * stops them in the reverse order.
 */
export type FeatureModule<Owned extends keyof TradingCounts = never> = {
  readonly name: string;
  readonly handlers?: Partial<Handlers>;
  start?(): void;
  stop?(): Promise<void>;
  /** This feature's part of the till status (compose merges the parts). */
  status?(): Partial<TillStatus>;
  /** This feature's counts of work in progress that an update must not interrupt. */
  inProgress?(): { [K in Owned]: number };
  readonly emits?: readonly (keyof CoreEvents)[];
  readonly listens?: readonly (keyof CoreEvents)[];
};
