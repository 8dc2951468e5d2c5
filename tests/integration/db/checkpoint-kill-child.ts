// Child of checkpoints.test.ts: commits rows one by one (synchronous=FULL, the till's checkpoint
// timer running fast), printing `ack <id>` once each commit returned and `checkpoint <frames>` for
// each checkpoint the timer ran. The parent kills it (SIGKILL) mid-way.
import { openDatabase } from '../../../src-main/db/connection';

const [dbFile] = process.argv.slice(2) as [string];
const db = openDatabase(dbFile, {
  checkpoints: {
    tickMs: 5,
    busyMs: 40,
    onCheckpoint: (r) => process.stdout.write(`checkpoint ${r.checkpointed}\n`),
  },
});
db.exec('CREATE TABLE IF NOT EXISTS burst (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
const insert = db.prepare('INSERT INTO burst (id, body) VALUES (?, randomblob(3000))');
process.stdout.write('ready\n');
for (let id = 1; ; id++) {
  insert.run(id);
  // Synchronous on Linux pipes: the line is out before the next row is written.
  process.stdout.write(`ack ${id}\n`);
  // A pause now and then, as between sales: the timer gets its turn.
  if (id % 5 === 0) await new Promise((r) => setTimeout(r, 2));
}
