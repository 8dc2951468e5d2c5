import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dojo } from './sim-client';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

describe('npm run sim', () => {
  it('prints its URL, answers Dojo requests and stops on SIGTERM', async () => {
    const child = spawn(
      path.join(repoRoot, 'node_modules/.bin/tsx'),
      ['src-main/simulator/cli.ts', '--port', '0', '--time-scale', '0.05'],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const r = await dojo(url).call<unknown[]>('GET', '/terminals?statuses=Available');
      expect(r.status).toBe(200);
      expect(r.body).toHaveLength(3);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
