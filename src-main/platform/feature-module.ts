import type { Handlers, TillStatus } from '../../src-shared/contract';
import type { CoreEvents } from './event-bus';

/**
 * What a feature gives the composition root (core/compose.ts): its request handlers, its
 * long-lived work (`start`/`stop`), its part of the till status, and, for the reader, the core
 * events it emits and listens to. Compose builds the modules in order, subscribes listeners and
 * starts them; it stops them in the reverse order.
 */
export type FeatureModule = {
  readonly name: string;
  readonly handlers?: Partial<Handlers>;
  start?(): void;
  stop?(): Promise<void>;
  /** This feature's part of the till status (compose merges the parts). */
  status?(): Partial<TillStatus>;
  /** Counts of this feature's work in progress that an update must not interrupt. */
  inProgress?(): Record<string, number>;
  readonly emits?: readonly (keyof CoreEvents)[];
  readonly listens?: readonly (keyof CoreEvents)[];
};
