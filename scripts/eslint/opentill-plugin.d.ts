// Types for opentill-plugin.js, so its tests are type-checked.
import type { ESLint } from 'eslint';

declare const plugin: ESLint.Plugin;
export default plugin;
export function modulesOnCycles<T>(graph: Map<T, T[]>): Map<T, T>;
export function runtimeImports(file: string): string[];
