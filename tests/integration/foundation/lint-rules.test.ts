import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Linter } from 'eslint';
import { afterEach, describe, expect, it } from 'vitest';
import opentill, {
  modulesOnCycles,
  runtimeImports,
} from '../../../scripts/eslint/opentill-plugin.js';
import { tempDir } from '../../support/temp-dir';

const root = join(import.meta.dirname, '../../..');

describe('the import-cycle rule', () => {
  let dir: ReturnType<typeof tempDir> | null = null;
  afterEach(() => dir?.remove());

  it('finds every module on a cycle and only those', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
      ['e', ['e']],
      ['f', []],
    ]);
    const on = modulesOnCycles(graph);
    expect([...on.keys()].sort()).toEqual(['a', 'b', 'c', 'e']);
    expect(new Set(['a', 'b', 'c'].map((m) => on.get(m))).size).toBe(1);
  });

  it('counts runtime imports only: type-only imports vanish when compiled', () => {
    dir = tempDir();
    const file = (name: string, text = 'export const v = 1;\n') => {
      writeFileSync(join(dir!.path, name), text);
      return join(dir!.path, name);
    };
    for (const n of ['b', 'c', 'd', 'e', 'f', 'g']) file(`${n}.ts`);
    const a = file(
      'a.ts',
      [
        "import type { X } from './b';",
        "import { type Y } from './c';",
        "import { z } from './d';",
        "export type { W } from './e';",
        "import './f';",
        "export { v } from './g';",
        "import { readFileSync } from 'node:fs';",
      ].join('\n'),
    );
    expect(runtimeImports(a).map((p) => p.slice(dir!.path.length + 1))).toEqual([
      'd.ts',
      'f.ts',
      'g.ts',
    ]);
  });
});

describe("the rule that keeps a feature's repo files its own", () => {
  const lint = (file: string, code: string) =>
    new Linter({ configType: 'flat' }).verify(
      code,
      [
        {
          files: ['**/*.ts'],
          plugins: { opentill },
          rules: { 'opentill/no-foreign-repo': 'error' },
        },
      ],
      join(root, file),
    );
  const foreign = "import { jobCounts } from '../printing/print-jobs.repo';\n";

  it("refuses another feature's *.repo or *.queries file, naming the owner", () => {
    const found = lint('src-main/cash/x.ts', foreign);
    expect(found.map((m) => m.message)).toEqual([
      "src-main/printing/print-jobs.repo.ts is private to the printing feature: go through that feature's service or public module.",
    ]);
    expect(
      lint('src-main/cash/x.ts', "import { x } from '../orders/orders.queries';\n"),
    ).toHaveLength(1);
  });

  it('allows its own repo, the platform, public modules, and tests', () => {
    expect(lint('src-main/printing/x.ts', "import { j } from './print-jobs.repo';\n")).toEqual([]);
    expect(lint('src-main/cash/x.ts', "import { audit } from '../platform/audit';\n")).toEqual([]);
    expect(lint('src-main/cash/x.ts', "import { enqueue } from '../queue/outbox';\n")).toEqual([]);
    expect(lint('src-main/cash/x.test.ts', foreign)).toEqual([]);
  });
});
