import { channels, isChannelName, type Handlers } from '../../src-shared/contract';
import { TillError, type ErrorShape, type Result } from '../../src-shared/errors';
import type { Logger } from '../logging/logger';

export type Dispatch = (channel: unknown, input: unknown) => Promise<Result<unknown>>;

function zodMessage(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * Words for whatever came in as a channel, without calling its own `toString` (a frame can carry
 * `{"toString": 1}` or an array nested 100 000 deep; `String()` throws on both).
 */
export function describeChannel(channel: unknown): string {
  if (typeof channel === 'string') return `"${channel.slice(0, 80)}"`;
  if (channel === null) return 'null';
  if (Array.isArray(channel)) return 'an array';
  const kind = typeof channel;
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
}

/** An error's text for the log, whatever was thrown (never throws itself). */
function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'string') return error;
  return `a thrown ${describeChannel(error).replace(/^an? /, '')}`;
}

export function toErrorShape(error: unknown, log: Logger, channel: string): ErrorShape {
  if (error instanceof TillError) {
    log.warn('handler refused', { channel, code: error.code, message: error.message });
    return error.toShape();
  }
  // Unexpected: log the detail here, send only a generic message across the boundary.
  log.error('handler failed', {
    channel,
    error: errorText(error),
    stack: error instanceof Error ? error.stack : undefined,
  });
  return {
    code: 'INTERNAL',
    message: 'Something went wrong inside the till. Nothing was lost; try again.',
    retryable: true,
  };
}

/**
 * The one path every request takes, whatever the transport: known channel → input parsed with the
 * channel's zod schema → handler → `Result` envelope. Transports check the sender before this.
 */
export function createDispatcher(handlers: Partial<Handlers>, log: Logger): Dispatch {
  const dispatch: Dispatch = async (channel, input) => {
    if (!isChannelName(channel)) {
      // Anything but a known name (a number, an object, a deep array) is an unknown channel.
      const described = describeChannel(channel);
      log.warn('unknown channel refused', { channel: described });
      return {
        ok: false,
        error: {
          code: 'UNKNOWN_CHANNEL',
          message:
            typeof channel === 'string'
              ? `Unknown request ${described}`
              : `Unknown request: the channel must be a name, not ${described}`,
          retryable: false,
        },
      };
    }
    const parsed = channels[channel].input.safeParse(input);
    if (!parsed.success) {
      const message = zodMessage(parsed.error.issues);
      log.warn('invalid input refused', { channel, message });
      return {
        ok: false,
        error: { code: 'VALIDATION', message: message || 'Invalid input', retryable: false },
      };
    }
    try {
      const handler = handlers[channel] as ((input: unknown) => unknown) | undefined;
      if (!handler) {
        log.error('channel has no handler', { channel });
        return {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: `"${channel}" is not available in this version of the till.`,
            retryable: false,
          },
        };
      }
      const value: unknown = await handler(parsed.data);
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: toErrorShape(error, log, channel) };
    }
  };
  // The dispatcher never rejects: whatever escapes above becomes an INTERNAL answer.
  return async (channel, input) => {
    try {
      return await dispatch(channel, input);
    } catch (error) {
      return { ok: false, error: toErrorShape(error, log, describeChannel(channel)) };
    }
  };
}
