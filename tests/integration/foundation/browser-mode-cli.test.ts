import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tempDir } from '../../support/temp-dir';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

type Reply = {
  id: number | null;
  result: { ok: boolean; value?: unknown; error?: { code: string } };
};

/** Sends `text` and waits for the answer carrying `id`; events the core pushes meanwhile pass. */
function request(ws: WebSocket, id: number, text: string): Promise<Reply> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as Partial<Reply>;
      // A status or terminals event may come first (the core pushes them when they change).
      if (frame.id !== id || !frame.result) return;
      ws.off('message', onMessage);
      resolve(frame as Reply);
    };
    ws.on('message', onMessage);
    ws.send(text);
  });
}

describe('npm run start:web (the browser-mode process)', () => {
  it('survives the frames that used to kill it and keeps serving', async () => {
    const dir = tempDir();
    const child = spawn(
      path.join(repoRoot, 'node_modules/.bin/tsx'),
      ['src-main/server/cli.ts', '--port', '0', '--data-dir', dir.path, '--renderer-dir', dir.path],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, OPENTILL_DOJO_API_KEY: '' },
      },
    );
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code) => {
        exitCode = code;
        resolve();
      }),
    );
    try {
      const url = await new Promise<URL>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /Open: (http:\/\/\S+)/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(new URL(m[1]));
          }
        });
        child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const token = url.hash.replace('#token=', '');
      const ws = new WebSocket(`ws://${url.host}/ipc?token=${token}`, { origin: url.origin });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));

      const trap = await request(ws, 1, '{"id":1,"channel":{"toString":1}}');
      expect(trap.result.error?.code).toBe('UNKNOWN_CHANNEL');
      const depth = 100_000;
      const deep = await request(
        ws,
        2,
        `{"id":2,"channel":${'['.repeat(depth)}${']'.repeat(depth)}}`,
      );
      expect(deep.result.error?.code).toBe('UNKNOWN_CHANNEL');
      const ping = await request(
        ws,
        3,
        JSON.stringify({ id: 3, channel: 'app:info', input: undefined }),
      );
      expect(ping.result.ok).toBe(true);
      ws.close();
      expect(exitCode).toBeUndefined();
    } finally {
      child.kill('SIGTERM');
      await exited;
      dir.remove();
    }
    expect(exitCode).toBe(0);
  });
});
