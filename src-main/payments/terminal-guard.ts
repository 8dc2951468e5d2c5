import type { ConnectivityState, Handlers } from '../../src-shared/contract';
import { TillError } from '../../src-shared/errors';

/** What the terminal-work rule needs of the link to Dojo (the connectivity monitor). */
export type DojoLink = {
  readonly state: ConnectivityState;
  checkNow(): Promise<ConnectivityState>;
};

/**
 * Dojo is unreachable now: the link is offline and a fresh probe agrees (a link that just came
 * back is not refused). The one rule for refusing new terminal work, cards taken elsewhere too.
 */
export async function dojoUnreachableNow(link: DojoLink): Promise<boolean> {
  return link.state === 'offline' && (await link.checkNow()) === 'offline';
}

type TerminalChannel = 'payments:start-sale' | 'refunds:matched' | 'refunds:unlinked';
const terminalChannels: readonly TerminalChannel[] = [
  'payments:start-sale',
  'refunds:matched',
  'refunds:unlinked',
];

/**
 * New terminal work is refused up front while Dojo is known to be unreachable (one fresh probe
 * first, so a link that just came back is not refused), instead of committing an attempt that can
 * only fail. Cash, parking and everything already running are untouched.
 */
export function guardTerminalWork<H extends Partial<Handlers>>(
  handlers: H,
  connectivity: () => DojoLink,
): H {
  const guarded: Partial<Handlers> = { ...handlers };
  for (const channel of terminalChannels) {
    const handler = handlers[channel] as ((input: never) => unknown) | undefined;
    if (!handler) continue;
    (guarded as Record<string, unknown>)[channel] = async (input: never) => {
      if (await dojoUnreachableNow(connectivity())) {
        throw new TillError(
          'DOJO_UNREACHABLE',
          'Card payments are unavailable: Dojo cannot be reached. Take cash, or park the order for card payment later.',
          { retryable: true },
        );
      }
      return handler(input);
    };
  }
  return guarded as H;
}
