import type { EventName, TillApi } from '../../src-shared/contract';
import { channelNameList, EVENT_CHANNEL, eventNameList } from '../../src-shared/contract/names';
import type { Result } from '../../src-shared/errors';

const isKnownEvent = (name: unknown): name is EventName =>
  typeof name === 'string' && (eventNameList as readonly string[]).includes(name);

/** The slice of `ipcRenderer` the bridge uses (structural, so tests can pass a fake). */
export type IpcRendererLike = {
  invoke(channel: string, input: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
};

/**
 * Builds `window.till`: exactly one method per contract channel and `on(event)`. No generic
 * invoke, no access to `ipcRenderer` itself, no event names outside the contract.
 */
export function buildTillBridge(ipc: IpcRendererLike): TillApi {
  const api: Record<string, unknown> = {};
  for (const channel of channelNameList) {
    api[channel] = (input?: unknown) => ipc.invoke(channel, input) as Promise<Result<unknown>>;
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!isKnownEvent(event)) throw new Error(`Unknown event "${String(event)}"`);
    const wrapped = (_e: unknown, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipc.on(EVENT_CHANNEL, wrapped);
    return () => void ipc.removeListener(EVENT_CHANNEL, wrapped);
  };
  return Object.freeze(api) as TillApi;
}
