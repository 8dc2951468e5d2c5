import { z } from 'zod';

/** Every error code that may cross the IPC boundary. Add codes here, never ad hoc strings. */
export const errorCodes = [
  'VALIDATION',
  'UNKNOWN_CHANNEL',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'CONFLICT',
  'INTERNAL',
  'CREDENTIALS_MISSING',
  'CREDENTIALS_INVALID',
  'DOJO_HTTP',
  'DOJO_UNREACHABLE',
  'DOJO_RATE_LIMITED',
  'TERMINAL_BUSY',
  'TERMINAL_OFFLINE',
  'CARD_ALREADY_PRESENTED',
  'ATTEMPT_IN_PROGRESS',
  'REFUND_EXCEEDS_REMAINING',
  'MANAGER_PIN_INVALID',
  /** Too many wrong manager PINs in a row: every PIN check is refused for a few minutes. */
  'MANAGER_PIN_LOCKED',
  'MANAGER_PIN_NOT_SET',
  'PRINTER_OFFLINE',
  'PRINTER_CONFIG',
  'PRINT_UNREPRESENTABLE',
  'DB_TOO_NEW',
  'ORDER_STATE',
  /** A repeated money request whose first try was cut off by a restart: it may or may not have happened. */
  'REQUEST_IN_DOUBT',
  /** Nobody is signed in on the till. */
  'SIGN_IN_REQUIRED',
  /** The person signed in may not do this (an approval by a supervisor or manager may). */
  'PERMISSION_DENIED',
  /** A PIN typed to sign in matches nobody. */
  'STAFF_PIN_INVALID',
  /** The till day is not in the state the action needs (not open, already open, card payment live). */
  'DAY_STATE',
  /** The shop database (several tills, one PostgreSQL) is not configured, unreachable or refused. */
  'SHOP_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const errorShapeSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  retryable: z.boolean(),
});

/** The only error shape that crosses a process boundary: no stack, no cause, no secret. */
export type ErrorShape = z.infer<typeof errorShapeSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: ErrorShape): Result<never> => ({ ok: false, error });

/**
 * Base class for every error the till raises on purpose. `message` is written for the cashier:
 * plain words, no jargon, no secrets.
 */
export class TillError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { retryable?: boolean; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TillError';
    this.code = code;
    this.retryable = options?.retryable ?? false;
  }

  toShape(): ErrorShape {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
