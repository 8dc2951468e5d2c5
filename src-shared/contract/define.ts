import type { z } from 'zod';

/**
 * A channel pairs a zod input schema (checked at run time on the main side) with an output type
 * (a compile-time phantom). Types are inferred from the schema so check and type cannot drift.
 */
export type ChannelDef<I extends z.ZodType = z.ZodType, O = unknown> = {
  readonly input: I;
  readonly __output?: O;
};

export const channel =
  <O>() =>
  <I extends z.ZodType>(input: I): ChannelDef<I, O> => ({ input });

/** A main→renderer event; the payload is a compile-time type only. */
export type EventDef<P = unknown> = { readonly __payload?: P };

export const event = <P>(): EventDef<P> => ({});
