import { TillError } from '../../src-shared/errors';
import type { TerminalInfo } from '../../src-shared/domain/payments';
import { isDojoError } from '../dojo/dojo-errors';
import type { DojoTerminal } from '../dojo/dojo-schemas';
import { nowIso } from '../db/connection';
import { audit, readSetting, writeSetting } from '../settings/settings.repo';
import { liveAttemptOnTerminal } from './attempts.repo';
import { errorText, type DefaultTerminalStore, type PaymentsContext } from './payments-context';
import type { Db } from '../db/connection';

/** Same key the settings service reads for `defaultTerminalId`. */
const DEFAULT_TERMINAL_KEY = 'settings.defaultTerminalId';

/** Used when the service runs without the settings service (tests, bench): the same stored key. */
export const storedDefaultTerminal = (db: Db): DefaultTerminalStore => ({
  get() {
    const value = readSetting(db, DEFAULT_TERMINAL_KEY);
    return typeof value === 'string' ? value : null;
  },
  set: (terminalId) => writeSetting(db, DEFAULT_TERMINAL_KEY, terminalId),
});

export const defaultTerminalId = (ctx: PaymentsContext): string | null => ctx.defaultTerminal.get();

const toInfo = (t: DojoTerminal, def: string | null): TerminalInfo => ({
  id: t.id,
  tid: t.properties.tid,
  status: t.status,
  updatedAt: t.updatedAt ?? null,
  isDefault: t.id === def,
});

export async function listTerminals(ctx: PaymentsContext): Promise<TerminalInfo[]> {
  try {
    const terminals = (await ctx.dojo().listTerminals()).map((t) =>
      toInfo(t, defaultTerminalId(ctx)),
    );
    ctx.bus.emit('terminals:status', { terminals, checkedAt: nowIso(), error: null });
    return terminals;
  } catch (error) {
    ctx.bus.emit('terminals:status', {
      terminals: [],
      checkedAt: nowIso(),
      error: errorText(error),
    });
    throw error;
  }
}

async function getKnownTerminal(ctx: PaymentsContext, terminalId: string): Promise<DojoTerminal> {
  try {
    return await ctx.dojo().getTerminal(terminalId);
  } catch (error) {
    if (isDojoError(error) && error.code === 'NOT_FOUND') {
      throw new TillError(
        'NOT_FOUND',
        'Dojo does not know that terminal. Choose one from the list in Settings.',
      );
    }
    throw error;
  }
}

export async function setDefaultTerminal(
  ctx: PaymentsContext,
  terminalId: string,
): Promise<{ defaultTerminalId: string }> {
  await getKnownTerminal(ctx, terminalId);
  ctx.defaultTerminal.set(terminalId);
  audit(ctx.db, 'operator', 'terminals.set-default', terminalId);
  return { defaultTerminalId: terminalId };
}

/**
 * Sessions start only on a terminal this till is not already using and that Dojo reports
 * `Available` (API-NOTES).
 */
export async function ensureTerminalAvailable(
  ctx: PaymentsContext,
  terminalId: string,
): Promise<DojoTerminal> {
  if (liveAttemptOnTerminal(ctx.db, terminalId)) {
    throw new TillError(
      'TERMINAL_BUSY',
      'That terminal is already taking a payment on this till.',
      {
        retryable: true,
      },
    );
  }
  const terminal = await getKnownTerminal(ctx, terminalId);
  switch (terminal.status) {
    case 'Available':
      return terminal;
    case 'Offline':
      throw new TillError(
        'TERMINAL_OFFLINE',
        `Terminal ${terminal.properties.tid} is offline. Check it is switched on and connected.`,
        {
          retryable: true,
        },
      );
    case 'InUse':
      throw new TillError(
        'TERMINAL_BUSY',
        `Terminal ${terminal.properties.tid} is busy with another payment. Wait for it to finish.`,
        {
          retryable: true,
        },
      );
    default:
      throw new TillError(
        'TERMINAL_BUSY',
        `Terminal ${terminal.properties.tid} is not ready (${terminal.status}).`,
        { retryable: true },
      );
  }
}
