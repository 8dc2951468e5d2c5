import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);
const schema = JSON.parse(
  readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
) as object;
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
>;

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

describe('electron-builder.yml', () => {
  it("validates against electron-builder's own JSON schema", () => {
    const validate = validator();
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the validator really compiled the schema: a known-bad config is rejected', () => {
    const validate = validator();
    expect(validate({ ...config, notAnOption: true })).toBe(false);
    expect(validate({ ...config, win: { target: 42 } })).toBe(false);
  });

  it('builds NSIS for Windows x64 and dmg + zip for macOS x64 and arm64, with icons from assets', () => {
    expect(config.appId).toBe('tech.opentill.till');
    expect(config.productName).toBe('OpenTill');
    expect(config.win).toMatchObject({
      target: [{ target: 'nsis', arch: ['x64'] }],
      icon: 'assets/icon.png',
    });
    expect(config.mac).toMatchObject({
      target: [
        { target: 'dmg', arch: ['x64', 'arm64'] },
        { target: 'zip', arch: ['x64', 'arm64'] },
      ],
    });
    expect(readFileSync(join(root, 'assets/icon.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('packages only built output and unpacks the native SQLite module from asar', () => {
    expect(config.files).toEqual(['out/**/*', 'package.json', '!**/*.map']);
    expect(config.asarUnpack).toEqual(['node_modules/better-sqlite3/**/*']);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('out/main/index.cjs');
  });
});
