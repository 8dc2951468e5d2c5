import { createCore, type Core, type CoreOptions } from '../../../src-main/core/core';
import { memorySecretStore } from '../../../src-main/credentials/secret-store';
import { memorySink } from '../../../src-main/logging/logger';
import { tempDir } from '../../support/temp-dir';
import { TEST_PRINTER_PORTS } from '../../support/printer-ports';

export const PINS = { manager: '2468', supervisor: '8024', cashier: '1357' } as const;

export type StaffCore = {
  core: Core;
  ids: { manager: string; supervisor: string; cashier: string };
  /** Signs in by PIN (or signs out with null). */
  as(who: keyof typeof PINS | null): void;
  call<T = unknown>(
    channel: string,
    input?: unknown,
  ): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>;
  /** Rows in the tables a refused action must leave alone. */
  rows(): Record<string, number>;
  close(): Promise<void>;
};

const TABLES = [
  'orders',
  'tenders',
  'refunds',
  'payment_attempts',
  'products',
  'staff',
  'settings',
  'till_days',
  'cash_movements',
  'day_closures',
  'dojo_checks',
  'audit_log',
];

/** A real core in training mode (the simulator over HTTP) with a manager, a supervisor and a cashier. */
export async function staffCore(options: Partial<CoreOptions> = {}): Promise<StaffCore> {
  const dir = tempDir('opentill-staff-');
  const core = await createCore({
    dataDir: dir.path,
    env: { ...TEST_PRINTER_PORTS },
    secretStore: memorySecretStore(),
    transport: 'websocket',
    version: 'test',
    logSinks: [memorySink()],
    simulatorTimeScale: 0.02,
    ...options,
  });
  core.staff.createFirstManager({ name: 'Ann', pin: PINS.manager });
  const supervisor = core.staff.create({ name: 'Sue', role: 'supervisor', pin: PINS.supervisor });
  const cashier = core.staff.create({ name: 'Cy', role: 'cashier', pin: PINS.cashier });
  const manager = core.staff.current();
  if (!manager) throw new Error('manager not signed in');
  return {
    core,
    ids: { manager: manager.id, supervisor: supervisor.id, cashier: cashier.id },
    as(who) {
      core.staff.signOut();
      if (who) core.staff.signIn(PINS[who]);
    },
    call: (channel, input) => core.dispatch(channel, input) as never,
    rows: () =>
      Object.fromEntries(
        TABLES.map((t) => [
          t,
          (core.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
        ]),
      ),
    async close() {
      await core.close();
      dir.remove();
    },
  };
}
