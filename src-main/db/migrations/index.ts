import type { Migration } from '../migrate';
import { migration001 } from './001-initial';

/** Every migration, in order. Append only. */
export const migrations: readonly Migration[] = [migration001];
