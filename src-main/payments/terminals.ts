import { TillError } from '../../src-shared/errors';
import type { TerminalInfo } from '../../src-shared/domain/payments';
import { isDojoError } from '../dojo/dojo-errors';
import type { DojoTerminal } from '../dojo/dojo-schemas';
import { nowIso } from '../db/connection';
import { audit } from '../platform/audit';
import { liveAttemptOnTerminal } from './attempts.repo';
import type { PaymentsContext } from './payments-context';
import { errorText } from '../platform/error-text';

export const defaultTerminalId = (ctx: PaymentsContext): string | null => ctx.defaultTerminal.get();

const toInfo = (t: DojoTerminal, def: string | null): TerminalInfo => ({
  id: t.id,
  tid: t.properties.tid,
  status: t.status,
  updatedAt: t.updatedAt ?? null,
  isDefault: t.id === def,
});

/**
 * Every terminal list from Dojo (the picker's, and the background refresh) is remembered with its
 * time: a sale skips its own terminal read while this says `Available` and is fresh (the session
 * create's own refusal speaks if it changed since). Nothing the till infers is written here.
 */
export type TerminalCache = Map<string, { terminal: DojoTerminal; at: number }>;

function remember(ctx: PaymentsContext, terminals: readonly DojoTerminal[]): void {
  const at = Date.now();
  for (const terminal of terminals) ctx.terminalCache.set(terminal.id, { terminal, at });
}

/**
 * A listing nobody asked for (the background refresh, a refusal): pushed to the renderer when it
 * works; a failure is only logged, so a passing hiccup never blanks the terminal picker.
 */
export async function refreshTerminalsQuietly(ctx: PaymentsContext): Promise<void> {
  try {
    const listed = await ctx.dojo().listTerminals();
    remember(ctx, listed);
    const terminals = listed.map((t) => toInfo(t, defaultTerminalId(ctx)));
    ctx.bus.emit('terminals:status', { terminals, checkedAt: nowIso(), error: null });
  } catch (error) {
    ctx.log.debug('terminal refresh failed', { error: errorText(error) });
  }
}

export async function listTerminals(ctx: PaymentsContext): Promise<TerminalInfo[]> {
  try {
    const listed = await ctx.dojo().listTerminals();
    remember(ctx, listed);
    const terminals = listed.map((t) => toInfo(t, defaultTerminalId(ctx)));
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

/** A terminal Dojo listed as `Available` within `terminalFreshMs`, or null. */
function freshAvailable(ctx: PaymentsContext, terminalId: string): DojoTerminal | null {
  const seen = ctx.terminalCache.get(terminalId);
  if (!seen || seen.terminal.status !== 'Available') return null;
  return Date.now() - seen.at <= ctx.terminalFreshMs ? seen.terminal : null;
}

/**
 * Sessions start only on a terminal this till is not already using and that Dojo reports
 * `Available` (Dojo refuses a session on any other). Dojo's own word is read only when the till's
 * recent view of the terminal (kept fresh in the background) does not already say `Available`: on
 * the happy path a sale costs no terminal read, and if the terminal was taken since, the session
 * create is refused with `TERMINAL_UNAVAILABLE` before anything can be charged.
 *
 * An unconfirmed attempt whose session is over (expired, declined, …) does not hold the terminal;
 * one whose session may still be running holds it only while Dojo says the terminal is busy.
 */
export async function ensureTerminalAvailable(
  ctx: PaymentsContext,
  terminalId: string,
): Promise<DojoTerminal> {
  const holder = liveAttemptOnTerminal(ctx.db, terminalId);
  if (holder && holder.state.kind !== 'unconfirmed') {
    throw new TillError(
      'TERMINAL_BUSY',
      'That terminal is already taking a payment on this till.',
      {
        retryable: true,
      },
    );
  }
  const terminal =
    (holder ? null : freshAvailable(ctx, terminalId)) ?? (await getKnownTerminal(ctx, terminalId));
  if (holder && terminal.status !== 'Available') {
    throw new TillError(
      'TERMINAL_BUSY',
      `Terminal ${terminal.properties.tid} is ${terminal.status} and may still be running a payment the till cannot confirm. Check that payment first ("payments to check" in the status bar).`,
      { retryable: true },
    );
  }
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

/**
 * After a session create was refused because the terminal is taken: forget the stale view and read
 * the terminal once, so the picker shows what Dojo says now. Never throws.
 */
export async function refreshTerminalAfterRefusal(
  ctx: PaymentsContext,
  terminalId: string,
): Promise<void> {
  ctx.terminalCache.delete(terminalId);
  await refreshTerminalsQuietly(ctx);
}
