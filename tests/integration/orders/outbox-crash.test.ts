import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src-main/logging/logger';
import { createOutbox } from '../../../src-main/queue/outbox';
import { enqueue, getOutboxItem } from '../../../src-main/queue/outbox.repo';
import { tempDb, type TempDb } from './helpers';

let t: TempDb | undefined;
afterEach(() => t?.cleanup());

const remoteKeys = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

describe('outbox exactly-once across a crash', () => {
  it('re-runs the handler with the same key after a crash between success and done; the remote applies it once', async () => {
    t = tempDb('opentill-outbox-crash-');
    const remote = join(t.dir, 'remote.txt');
    const { item } = enqueue(t.db, {
      kind: 'server_refund',
      idempotencyKey: 'refund-attempt-7f3a',
      payload: { amountMinor: 250 },
    });
    t.db.close();

    // A real crash: the child applies the effect remotely, then SIGKILLs itself before marking done.
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'outbox-crash-child.ts'), t.file, remote],
      {
        cwd: process.cwd(),
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(child.signal).toBe('SIGKILL');
    expect(remoteKeys(remote)).toEqual(['refund-attempt-7f3a']);

    const db = t.reopen();
    expect(getOutboxItem(db, item.id)).toMatchObject({ status: 'pending', attempts: 1 });

    // After restart: the handler runs again with the same key; the remote side dedups on it.
    const outbox = createOutbox({ db, logger: silentLogger });
    const keysSeen: string[] = [];
    outbox.registerHandler('server_refund', (again) => {
      keysSeen.push(again.idempotencyKey);
      if (!remoteKeys(remote).includes(again.idempotencyKey))
        appendFileSync(remote, `${again.idempotencyKey}\n`);
      return Promise.resolve();
    });
    await outbox.drainOnce();
    expect(keysSeen).toEqual(['refund-attempt-7f3a']);
    expect(getOutboxItem(db, item.id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(remoteKeys(remote)).toEqual(['refund-attempt-7f3a']);
    await outbox.drainOnce();
    expect(keysSeen).toHaveLength(1);
  });
});
