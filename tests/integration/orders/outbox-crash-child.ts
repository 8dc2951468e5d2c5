// Child process for the crash test: runs the outbox against a real database file, and its handler
// applies the effect on the "remote side" and then kills this process before the item is marked done.
import { appendFileSync } from 'node:fs';
import { openDatabase } from '../../../src-main/db/connection';
import { silentLogger } from '../../../src-main/logging/logger';
import { createOutbox } from '../../../src-main/queue/outbox';

const [dbFile, remoteFile] = process.argv.slice(2) as [string, string];
const db = openDatabase(dbFile);
const outbox = createOutbox({ db, logger: silentLogger });
outbox.registerHandler('server_refund', (item) => {
  appendFileSync(remoteFile, `${item.idempotencyKey}\n`);
  process.kill(process.pid, 'SIGKILL');
  return new Promise(() => {});
});
void outbox.drainOnce();
