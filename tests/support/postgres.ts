import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A real, throwaway PostgreSQL cluster on loopback for one test file: initdb into a temporary
 * folder, start on a free port, hand back an admin URL, remove everything on `stop()`.
 * As root (CI, this machine) the server runs as the `postgres` user, as PostgreSQL requires.
 * When PostgreSQL is not installed this throws, so a suite that needs it fails loudly instead
 * of passing without it.
 */
export type TestPostgres = {
  /** Superuser URL over TCP on 127.0.0.1 (password auth, as a till would connect). */
  adminUrl: string;
  port: number;
  dataDir: string;
  /** A URL for `user`/`password` on the same server and database. */
  urlFor(user: string, password: string, database?: string): string;
  /** Stops the server (fast shutdown) without removing its data: `start()` brings it back. */
  halt(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

const isRoot = () => process.getuid?.() === 0;

export function postgresBinDir(): string {
  const override = process.env.OPENTILL_PG_BIN;
  if (override) return override;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const best = versions[0];
  if (!best) {
    throw new Error(
      'PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin). ' +
        'Install it (Debian: apt-get install -y postgresql) or set OPENTILL_PG_BIN.',
    );
  }
  return join(root, best, 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function runAsPostgres(bin: string, args: string[]): void {
  if (isRoot()) {
    execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', [bin, ...args].map(quote).join(' ')], {
      stdio: 'pipe',
    });
  } else {
    execFileSync(bin, args, { stdio: 'pipe' });
  }
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

async function waitReady(url: string, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  let lastError: unknown;
  while (Date.now() < until) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`PostgreSQL did not start: ${String(lastError)}`);
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const root = mkdtempSync(join(tmpdir(), 'opentill-pg-'));
  const dataDir = join(root, 'data');
  const password = `admin-${Math.random().toString(36).slice(2)}`;
  const pwFile = join(root, 'pw');
  writeFileSync(pwFile, password);
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(root, uid, gid);
    chownSync(pwFile, uid, gid);
  }
  chmodSync(root, 0o700);
  runAsPostgres(join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    `--pwfile=${pwFile}`,
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const port = await freePort();
  let child: ChildProcess | null = null;

  const start = async () => {
    const args = [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-k',
      root,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'max_connections=300',
    ];
    const command = isRoot()
      ? spawn(
          'su',
          [
            'postgres',
            '-s',
            '/bin/sh',
            '-c',
            [join(bin, 'postgres'), ...args].map(quote).join(' '),
          ],
          {
            stdio: 'ignore',
          },
        )
      : spawn(join(bin, 'postgres'), args, { stdio: 'ignore' });
    child = command;
    await waitReady(adminUrl, 30_000);
  };
  const adminUrl = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const halt = (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
    if (!child) return Promise.resolve();
    try {
      runAsPostgres(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', mode, '-w', 'stop']);
    } catch {
      child.kill('SIGKILL');
    }
    child = null;
    return Promise.resolve();
  };
  await start();
  return {
    adminUrl,
    port,
    dataDir,
    urlFor: (user, pass, database = 'postgres') =>
      `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}/${database}`,
    halt,
    start,
    async stop() {
      await halt('immediate');
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` with a short-lived client on `url`. */
export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
