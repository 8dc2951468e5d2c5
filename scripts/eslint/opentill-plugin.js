// OpenTill's own lint rules (eslint.config.js turns them on):
// - no-import-cycle: no cycle of runtime imports among the app's modules (type-only imports vanish
//   when compiled, so they do not count, as in eslint-plugin-import's no-cycle).
// - no-foreign-repo: a feature never imports another feature's *.repo / *.queries files; it asks
//   that feature's service or public module instead.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..', '..');
const APP_DIRS = ['src-main', 'src-shared', 'src-renderer'];
const isTest = (file) => /\.test\.tsx?$/.test(file);

function resolveImport(fromFile, spec) {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(fromFile), spec.replace(/\.js$/, ''));
  for (const candidate of [`${base}.ts`, `${base}.tsx`, base, join(base, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return null;
}

/** True when every name the declaration brings in is a type (it is gone after compiling). */
function isTypeOnly(node) {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly;
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return (
    !clause.name &&
    named !== undefined &&
    ts.isNamedImports(named) &&
    named.elements.length > 0 &&
    named.elements.every((e) => e.isTypeOnly)
  );
}

export function runtimeImports(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const out = [];
  for (const st of source.statements) {
    if (!(ts.isImportDeclaration(st) || ts.isExportDeclaration(st))) continue;
    if (!st.moduleSpecifier || !ts.isStringLiteral(st.moduleSpecifier) || isTypeOnly(st)) continue;
    const target = resolveImport(file, st.moduleSpecifier.text);
    if (target) out.push(target);
  }
  return out;
}

/**
 * Tarjan's strongly connected components over `graph` (module → modules it imports): each module
 * that sits on a cycle → the id of its cycle. Modules on no cycle are absent.
 */
export function modulesOnCycles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycleIndex = new Map();
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v))
      for (const member of component) cycleIndex.set(member, v);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycleIndex;
}

let cached = null;
/** The app's runtime import graph, read once per lint run. */
function cycles() {
  if (cached) return cached;
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !isTest(name)) files.push(path);
    }
  };
  for (const dir of APP_DIRS) walk(join(ROOT, dir));
  cached = modulesOnCycles(new Map(files.map((f) => [f, runtimeImports(f)])));
  return cached;
}

const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid runtime import cycles between app modules' },
    schema: [],
    messages: {
      cycle:
        'This import closes a cycle ({{path}} imports back, directly or not). Move what both need into a module neither imports, or make the import type-only.',
    },
  },
  create(context) {
    const file = context.filename;
    const check = (node) => {
      if (node.importKind === 'type' || node.exportKind === 'type' || !node.source) return;
      if (node.specifiers?.length && node.specifiers.every((s) => s.importKind === 'type')) return;
      const target = resolveImport(file, node.source.value);
      const index = cycles();
      if (target && index.has(file) && index.get(file) === index.get(target))
        context.report({
          node: node.source,
          messageId: 'cycle',
          data: { path: relative(ROOT, target) },
        });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

/** The feature folder of a file under src-main (its first folder), or null. */
function featureOf(file) {
  const parts = relative(join(ROOT, 'src-main'), file).split(sep);
  return parts.length > 1 && parts[0] !== '..' ? parts[0] : null;
}

const noForeignRepo = {
  meta: {
    type: 'problem',
    docs: { description: "Forbid importing another feature's *.repo / *.queries files" },
    schema: [],
    messages: {
      foreign:
        "{{target}} is private to the {{owner}} feature: go through that feature's service or public module.",
    },
  },
  create(context) {
    const file = context.filename;
    const from = featureOf(file);
    if (!from || isTest(file)) return {};
    const check = (node) => {
      if (!node.source) return;
      const target = resolveImport(file, node.source.value);
      if (!target || !/\.(repo|queries)\.ts$/.test(target)) return;
      const owner = featureOf(target);
      if (owner && owner !== from)
        context.report({
          node: node.source,
          messageId: 'foreign',
          data: { target: relative(ROOT, target), owner },
        });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export default {
  meta: { name: 'opentill' },
  rules: { 'no-import-cycle': noImportCycle, 'no-foreign-repo': noForeignRepo },
};
