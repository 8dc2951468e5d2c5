import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp-dir';

const root = join(import.meta.dirname, '../../..');
const dir = tempDir();
afterAll(() => dir.remove());

/** A stand-in binary holding only Electron's fuse wire: sentinel, version 1, length, states. */
function binaryWithWire(states: string): string {
  const file = join(dir.path, `electron-${states}`);
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.from('\x7fELF…padding…'),
      Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
      Buffer.from([1, states.length]),
      Buffer.from(states), // '0' off, '1' on; index = FuseV1Options
      Buffer.from('…more binary'),
    ]),
  );
  return file;
}

const check = (...apps: string[]) =>
  spawnSync(process.execPath, ['scripts/check-fuses.mjs', ...apps], {
    cwd: root,
    encoding: 'utf8',
  });

// The release workflow runs this script on each packaged app; here it is proven on stand-ins.
describe('scripts/check-fuses.mjs (run by the release workflow on the packaged apps)', () => {
  it('passes a binary whose fuses are as electron-builder.yml asks', () => {
    // RunAsNode off, cookies on, NODE_OPTIONS off, inspect off, asar integrity on, asar only on.
    const r = check(binaryWithWire('01001110'));
    expect(r.stdout.match(/^ok /gm)).toHaveLength(6);
    expect(r.status).toBe(0);
  });

  it('fails a stock Electron binary (fuses never flipped) and names each wrong fuse', () => {
    const r = check(binaryWithWire('10110010'));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL');
    expect(r.stdout).toMatch(/FAIL .*: runAsNode should be off/);
    expect(r.stdout).toMatch(/FAIL .*: onlyLoadAppFromAsar should be on/);
  });

  it('fails a file that is not an Electron binary, and a call with no app at all', () => {
    const plain = join(dir.path, 'not-electron');
    writeFileSync(plain, 'hello');
    expect(check(plain).status).not.toBe(0);
    expect(check().status).toBe(2);
  });
});
