import type { ErrorShape } from '../../src-shared/errors';

/**
 * What went wrong with an action that needs the manager PIN. `locked`: too many wrong PINs, the
 * core refuses every PIN for a while, so the form keeps its submit disabled until the next edit.
 */
export type PinError = { message: string; locked: boolean };

export const pinProblem = (message: string): PinError => ({ message, locked: false });

/** The core's error in plain words; a wrong PIN in the caller's words, the lockout in the core's. */
export function pinError(e: ErrorShape, wrongPin: string): PinError {
  if (e.code === 'MANAGER_PIN_LOCKED') return { message: e.message, locked: true };
  if (e.code === 'MANAGER_PIN_INVALID') return pinProblem(wrongPin);
  return pinProblem(e.message);
}
