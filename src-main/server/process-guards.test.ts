import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLogger, memorySink } from '../logging/logger';
import { logUnhandledRejections } from './process-guards';

describe('logUnhandledRejections', () => {
  it('logs a rejection with its stack instead of letting it end the process', () => {
    const proc = new EventEmitter();
    const sink = memorySink();
    const remove = logUnhandledRejections(proc, () => createLogger([sink], 'process'));
    // Node exits on an unhandled rejection only when nothing listens for it.
    expect(proc.listenerCount('unhandledRejection')).toBe(1);
    proc.emit('unhandledRejection', new RangeError('Maximum call stack size exceeded'));
    proc.emit('unhandledRejection', { toString: 1 });
    expect(sink.records.map((r) => [r.level, r.tag, r.fields?.error])).toEqual([
      ['error', 'process', 'RangeError: Maximum call stack size exceeded'],
      ['error', 'process', 'a rejection with a value of type object'],
    ]);
    expect(String(sink.records[0]?.fields?.stack)).toMatch(/RangeError/);
    remove();
    expect(proc.listenerCount('unhandledRejection')).toBe(0);
  });
});
