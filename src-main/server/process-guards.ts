import type { EventEmitter } from 'node:events';
import type { Logger } from '../logging/logger';

/**
 * Browser mode runs the core as a plain Node process, where an unhandled promise rejection exits
 * the process by default: one bad request would close every cashier's till. With this listener
 * installed the rejection is logged (with its stack) and the core keeps serving. Returns the
 * function that removes the listener.
 */
export function logUnhandledRejections(target: EventEmitter, log: () => Logger): () => void {
  const onRejection = (reason: unknown) => {
    log().error('unhandled promise rejection (the till keeps running)', {
      error:
        reason instanceof Error
          ? `${reason.name}: ${reason.message}`
          : typeof reason === 'string'
            ? reason
            : `a rejection with ${reason === null ? 'null' : `a value of type ${typeof reason}`}`,
      stack: reason instanceof Error ? reason.stack : undefined,
    });
  };
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('unhandledRejection', onRejection);
  };
}
