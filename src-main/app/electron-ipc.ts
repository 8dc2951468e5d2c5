import { channelNames, type EventName } from '../../src-shared/contract';
import { EVENT_CHANNEL } from '../../src-shared/contract/names';
import type { Result } from '../../src-shared/errors';
import type { EventBus } from '../platform/event-bus';
import type { Dispatch } from '../ipc/dispatcher';
import type { Logger } from '../logging/logger';

export { EVENT_CHANNEL };

/** What a handler sees of the sender (Electron's IpcMainInvokeEvent, structurally). */
export type IpcSender = { senderFrame: { url: string; parent: unknown } | null };
export type IpcMainLike = {
  handle(
    channel: string,
    listener: (event: IpcSender, input: unknown) => Promise<Result<unknown>>,
  ): void;
  removeHandler(channel: string): void;
};

/**
 * The one registration helper for Electron IPC: every contract channel gets a handler that checks
 * the sender (our app's top frame only), then hands over to the shared dispatcher (which parses
 * the input with the channel's schema and wraps the answer in a Result).
 */
export function registerElectronIpc(opts: {
  ipcMain: IpcMainLike;
  dispatch: Dispatch;
  isTrustedSender: (event: IpcSender) => boolean;
  log: Logger;
}): () => void {
  for (const channel of channelNames) {
    opts.ipcMain.handle(channel, async (event, input) => {
      if (!opts.isTrustedSender(event)) {
        opts.log.warn('IPC from an untrusted sender refused', {
          channel,
          url: event.senderFrame?.url.slice(0, 200),
        });
        return {
          ok: false,
          error: {
            code: 'UNAUTHORIZED',
            message: 'Request refused: it did not come from the till window.',
            retryable: false,
          },
        };
      }
      return opts.dispatch(channel, input);
    });
  }
  return () => channelNames.forEach((c) => opts.ipcMain.removeHandler(c));
}

/** Forwards every core event to the window over one channel. */
export function forwardEvents(
  bus: EventBus,
  send: (channel: string, name: EventName, payload: unknown) => void,
): () => void {
  return bus.subscribe((name, payload) => send(EVENT_CHANNEL, name, payload));
}
