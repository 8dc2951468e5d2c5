import { afterEach, describe, expect, it } from 'vitest';
import { TillError } from '../../src-shared/errors';
import { tempDb, type TempDb } from '../../tests/integration/orders/helpers';
import type { DojoTerminalSession } from '../dojo/dojo-schemas';
import {
  advanceAttempt,
  getAttempt,
  insertAttempt,
  journalCounts,
  listEvents,
  signatureStatusJournalled,
} from './attempts.repo';

let t: TempDb | undefined;
afterEach(() => t?.cleanup());

/** An unlinked refund (no order needed) whose terminal is running its session. */
function runningRefund() {
  t = tempDb('opentill-attempts-');
  const db = t.db;
  insertAttempt(
    db,
    {
      id: 'a1',
      orderId: null,
      kind: 'unlinked_refund',
      amountMinor: 500,
      currency: 'GBP',
      terminalId: 'tm_1',
      paymentIntentId: null,
    },
    { source: 'till', type: 'attempt-created', detail: { amountMinor: 500 } },
  );
  advanceAttempt(
    db,
    'a1',
    {
      type: 'session-created',
      session: { id: 'ts_1', status: 'InitiateRequested', expireAt: null },
    },
    { sessionId: 'ts_1' },
  );
  return db;
}

const session = (statuses: string[], notes: string[]): DojoTerminalSession => ({
  id: 'ts_1',
  terminalId: 'tm_1',
  status: statuses.at(-1) ?? 'InitiateRequested',
  statusEvents: statuses.map((status) => ({ status, createdAt: new Date().toISOString() })),
  notificationEvents: notes.map((notificationType) => ({
    notificationType,
    createdAt: new Date().toISOString(),
  })),
});

describe('advanceAttempt', () => {
  it('writes the state nextState gives and its journal entries together', () => {
    const db = runningRefund();
    const a = getAttempt(db, 'a1');
    expect(a.state).toEqual({
      kind: 'in_progress',
      sessionStatus: 'InitiateRequested',
      prompt: null,
      expireAt: null,
    });
    expect(a.sessionId).toBe('ts_1');
    expect(listEvents(db, 'a1').map((e) => [e.source, e.type])).toEqual([
      ['till', 'attempt-created'],
      ['dojo', 'session-created'],
    ]);
  });

  it('refuses an input the state cannot take and writes nothing', () => {
    const db = runningRefund();
    const before = getAttempt(db, 'a1');
    expect(() =>
      advanceAttempt(db, 'a1', {
        type: 'intent-created',
        paymentIntentId: 'pi_1',
        intentStatus: 'Created',
      }),
    ).toThrow(TillError);
    expect(getAttempt(db, 'a1')).toEqual(before);
    expect(listEvents(db, 'a1')).toHaveLength(2);
  });

  it('writes nothing at all when a read of the session brings nothing new', () => {
    const db = runningRefund();
    const s = session(['InitiateRequested'], []);
    const first = advanceAttempt(db, 'a1', {
      type: 'session-read',
      session: s,
      seen: { statuses: 0, notifications: 0 },
      cardRead: null,
      now: Date.now(),
    });
    expect(first.step.journal.map((e) => e.type)).toEqual(['session-status']);
    db.prepare(
      "UPDATE payment_attempts SET updated_at = '2026-01-01T00:00:00.000Z' WHERE id = 'a1'",
    ).run();
    const again = advanceAttempt(db, 'a1', {
      type: 'session-read',
      session: s,
      seen: { statuses: 1, notifications: 0 },
      cardRead: null,
      now: Date.now(),
    });
    expect(again.moved).toBe(false);
    expect(getAttempt(db, 'a1').updatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(listEvents(db, 'a1')).toHaveLength(3);
  });
});

describe('journal counts', () => {
  it('counts each kind with one query, and sees a signature status in the journal', () => {
    const db = runningRefund();
    const read = (
      statuses: string[],
      notes: string[],
      seen: { statuses: number; notifications: number },
    ) =>
      advanceAttempt(db, 'a1', {
        type: 'session-read',
        session: session(statuses, notes),
        seen,
        cardRead: null,
        now: Date.now(),
      });
    read(['InitiateRequested', 'Initiated'], ['PresentCard'], { statuses: 0, notifications: 0 });
    read(['InitiateRequested', 'Initiated'], ['PresentCard', 'EnterPin', 'PleaseWait'], {
      statuses: 2,
      notifications: 1,
    });
    const counts = journalCounts(db, 'a1');
    expect(counts['session-status']).toBe(2);
    expect(counts.notification).toBe(3);
    expect(counts['attempt-created']).toBe(1);
    expect(counts['signature-card-read']).toBe(0);
    // The same figures as counting the journal by hand.
    const byHand = listEvents(db, 'a1').filter((e) => e.type === 'notification').length;
    expect(counts.notification).toBe(byHand);

    expect(signatureStatusJournalled(db, 'a1')).toBe(false);
    read(
      ['InitiateRequested', 'Initiated', 'SignatureVerificationRequired'],
      ['PresentCard', 'EnterPin', 'PleaseWait'],
      { statuses: 2, notifications: 3 },
    );
    expect(signatureStatusJournalled(db, 'a1')).toBe(true);
    expect(getAttempt(db, 'a1').state.kind).toBe('signature_required');
  });
});
