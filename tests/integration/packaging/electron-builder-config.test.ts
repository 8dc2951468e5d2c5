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

  it('the schema check covers the publish section and the fuses: wrong values there are rejected', () => {
    const validate = validator();
    expect(validate({ ...config, publish: [{ provider: 'github', releaseType: 'final' }] })).toBe(
      false,
    );
    expect(validate({ ...config, publish: [{ provider: 'nowhere' }] })).toBe(false);
    expect(validate({ ...config, electronFuses: { runAsNode: 'no' } })).toBe(false);
    expect(validate({ ...config, electronFuses: { notAFuse: true } })).toBe(false);
  });

  it('turns the Electron fuses that would let the installed app be used as a Node runtime off', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
    // Only-load-from-asar and asar integrity mean nothing if the app is not packed into app.asar.
    expect(config.asar ?? true).toBe(true);
  });

  it('publishes installers and their update metadata to the GitHub release for electron-updater', () => {
    expect(config.publish).toEqual([
      { provider: 'github', releaseType: 'release', publishAutoUpdate: true },
    ]);
  });

  it('builds NSIS for Windows x64, dmg + zip for macOS x64 and arm64 and an AppImage for Linux x64', () => {
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
    expect(config.linux).toMatchObject({ target: [{ target: 'AppImage', arch: ['x64'] }] });
    expect(readFileSync(join(root, 'assets/icon.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('packages only built output and unpacks the native SQLite module from asar', () => {
    expect(config.files).toEqual(['out/**/*', 'package.json', '!**/*.map']);
    expect(config.asarUnpack).toEqual(['node_modules/better-sqlite3/**/*']);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('out/main/index.cjs');
  });
});
