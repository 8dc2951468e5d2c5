import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection';
import {
  isFinalState,
  isSessionLive,
  sessionPhase,
  signatureMayBeDue,
  stateAfterSessionRead,
} from './attempt-state';
import { refundOutcome, saleOutcome } from './attempt-driver';
import { isManagerPinSet, setManagerPin, verifyManagerPin } from '../staff/manager-pin';
import { nextPollDelay, defaultPolling } from './payment-poller';
import { maskedCard } from './payments-context';
import { crashPoint } from './crash-points';

const session = (status: string, statuses: string[] = [], notes: string[] = []) => ({
  id: 'ts_1',
  terminalId: 'tm_1',
  status,
  statusEvents: statuses.map((s) => ({ status: s, createdAt: new Date().toISOString() })),
  notificationEvents: notes.map((n) => ({ notificationType: n, createdAt: 'x' })),
});

describe('attempt state machine', () => {
  it('knows final states and session phases, and treats unknown statuses as live', () => {
    expect(isFinalState({ kind: 'succeeded' })).toBe(true);
    expect(isFinalState({ kind: 'unconfirmed', reason: 'x', sessionStatus: null })).toBe(false);
    expect(sessionPhase(session('Initiated'))).toBe('live');
    expect(sessionPhase(session('Declined'))).toBe('ended');
    expect(sessionPhase(session('TotallyNew'))).toBe('unknown');
    // Captured while a signature check is open is not the end.
    expect(sessionPhase(session('Captured', ['Initiated', 'SignatureVerificationRequired']))).toBe(
      'signature',
    );
    expect(
      sessionPhase(
        session('Captured', ['SignatureVerificationRequired', 'SignatureVerificationAccepted']),
      ),
    ).toBe('ended');
  });

  it('a signature may follow Captured: watched while the session stays Captured, until its expireAt', () => {
    expect(['Signature', null, 'PinAndSignature'].map(signatureMayBeDue)).toEqual([
      true,
      true,
      true,
    ]);
    expect(['Pin', 'None', 'device'].map(signatureMayBeDue)).toEqual([false, false, false]);
    const now = Date.parse('2026-01-01T12:00:00Z');
    const waiting = {
      kind: 'signature_may_follow' as const,
      sessionStatus: 'Captured',
      until: '2026-01-01T12:01:00Z',
    };
    expect(isSessionLive(waiting)).toBe(true);
    expect(isFinalState(waiting)).toBe(false);
    const captured = {
      ...session('Captured', ['Initiated', 'Captured']),
      expireAt: '2026-01-01T12:01:30Z',
    };
    expect(stateAfterSessionRead(waiting, captured, now)).toEqual({
      ...waiting,
      until: '2026-01-01T12:01:30Z',
    });
    // Past expireAt: the intent decides.
    expect(stateAfterSessionRead(waiting, captured, Date.parse('2026-01-01T12:02:00Z'))).toEqual({
      kind: 'confirming',
      sessionStatus: 'Captured',
    });
    // The check came: the prompt, with Dojo's 80 s.
    expect(
      stateAfterSessionRead(
        waiting,
        session('SignatureVerificationRequired', ['Captured', 'SignatureVerificationRequired']),
        now,
      ).kind,
    ).toBe('signature_required');
    expect(
      stateAfterSessionRead(
        waiting,
        session('SignatureVerificationAccepted', ['Captured', 'SignatureVerificationAccepted']),
        now,
      ),
    ).toEqual({ kind: 'confirming', sessionStatus: 'SignatureVerificationAccepted' });
  });

  it('moves through in_progress → signature_required (80 s deadline) → confirming', () => {
    const live = stateAfterSessionRead(
      { kind: 'creating_session' },
      session('Initiated', [], ['PresentCard']),
    );
    expect(live).toMatchObject({ kind: 'in_progress', prompt: 'PresentCard' });
    const sig = stateAfterSessionRead(
      live,
      session('SignatureVerificationRequired', ['SignatureVerificationRequired']),
    );
    expect(sig.kind).toBe('signature_required');
    if (sig.kind === 'signature_required')
      expect(Date.parse(sig.deadlineAt) - Date.now()).toBeGreaterThan(79_000);
    expect(
      stateAfterSessionRead(sig, session('Captured', ['SignatureVerificationAccepted']) as never)
        .kind,
    ).toBe('confirming');
    const cancel = stateAfterSessionRead(
      { kind: 'cancel_requested', sessionStatus: 'CancelRequested', prompt: null },
      session('CancelRequested'),
    );
    expect(cancel.kind).toBe('cancel_requested');
  });

  it('lets the payment intent have the last word', () => {
    expect(saleOutcome('Canceled', { status: 'Captured' }, false).state.kind).toBe('succeeded');
    expect(saleOutcome('Declined', { status: 'Created' }, false).state.kind).toBe('declined');
    expect(
      saleOutcome('SignatureVerificationRejected', { status: 'Reversed' }, false).state.kind,
    ).toBe('declined');
    expect(saleOutcome('Expired', { status: 'Created' }, false).state.kind).toBe('unconfirmed');
    expect(saleOutcome('Expired', { status: 'Created' }, true).state.kind).toBe('canceled');
    expect(saleOutcome('Captured', { status: 'Created' }, false).state.kind).toBe('unconfirmed');
    expect(saleOutcome('Captured', { status: 'SomethingNew' }, false).state.kind).toBe(
      'unconfirmed',
    );
    expect(refundOutcome('Captured', false).state.kind).toBe('succeeded');
    expect(refundOutcome('Expired', false).state.kind).toBe('unconfirmed');
  });
});

describe('adaptive polling', () => {
  const p = defaultPolling;
  it('is fast while things change, slow when idle, backs off on errors and honours Retry-After', () => {
    const now = 100_000;
    expect(
      nextPollDelay(p, { now, lastChangeAt: now - 100, consecutiveErrors: 0, retryAfterMs: null }),
    ).toBe(p.fastMs);
    expect(
      nextPollDelay(p, {
        now,
        lastChangeAt: now - p.idleAfterMs - 1,
        consecutiveErrors: 0,
        retryAfterMs: null,
      }),
    ).toBe(p.slowMs);
    const b1 = nextPollDelay(p, {
      now,
      lastChangeAt: now,
      consecutiveErrors: 1,
      retryAfterMs: null,
    });
    const b3 = nextPollDelay(p, {
      now,
      lastChangeAt: now,
      consecutiveErrors: 3,
      retryAfterMs: null,
    });
    expect(b3).toBeGreaterThan(b1);
    expect(
      nextPollDelay(p, { now, lastChangeAt: now, consecutiveErrors: 30, retryAfterMs: null }),
    ).toBe(p.maxBackoffMs);
    expect(
      nextPollDelay(p, { now, lastChangeAt: now, consecutiveErrors: 1, retryAfterMs: 7000 }),
    ).toBe(7000);
  });
});

describe('manager PIN', () => {
  it('stores a salted scrypt hash, verifies, and needs the current PIN to change', () => {
    const db = openDatabase(':memory:');
    expect(isManagerPinSet(db)).toBe(false);
    expect(() => setManagerPin(db, '12')).toThrow(/4 to 8 digits/);
    expect(() => setManagerPin(db, '1234')).toThrow(/too easy to guess/);
    setManagerPin(db, '4731');
    expect(isManagerPinSet(db)).toBe(true);
    expect(verifyManagerPin(db, '4731')).toBe(true);
    expect(verifyManagerPin(db, '4732')).toBe(false);
    expect(verifyManagerPin(db, 'abcd')).toBe(false);
    expect(() => setManagerPin(db, '5827')).toThrow(
      expect.objectContaining({ code: 'MANAGER_PIN_INVALID' }),
    );
    expect(() => setManagerPin(db, '5827', '0000')).toThrow(
      expect.objectContaining({ code: 'MANAGER_PIN_INVALID' }),
    );
    setManagerPin(db, '5827', '4731');
    expect(verifyManagerPin(db, '5827')).toBe(true);
    // Since staff accounts the manager PIN is the first manager account's.
    const raw =
      db
        .prepare<[], { value: string }>(
          "SELECT pin_hash AS value FROM staff WHERE role = 'manager'",
        )
        .get()?.value ?? '';
    expect(raw).not.toContain('5827');
    expect(JSON.parse(raw)).toMatchObject({ algo: 'scrypt' });
    expect(db.prepare('SELECT action FROM audit_log ORDER BY id').all()).toEqual([
      { action: 'manager.pin-set' },
      { action: 'manager.pin-changed' },
    ]);
    db.close();
  });
});

describe('card details', () => {
  it('keeps masked numbers and never a full PAN', () => {
    expect(
      maskedCard({
        card: { cardNumber: '44565300****1096', cardType: 'VISA' },
        authCode: '123456',
      }),
    ).toMatchObject({
      cardNumber: '44565300****1096',
      last4: '1096',
      cardType: 'VISA',
      authCode: '123456',
    });
    expect(maskedCard({ card: { cardNumber: '4456530000001096' } })?.cardNumber).toBe(
      '************1096',
    );
  });

  it('crash points are inert unless named', () => {
    expect(() => crashPoint('sale:mid-poll', {})).not.toThrow();
    expect(() =>
      crashPoint('sale:mid-poll', { OPENTILL_CRASH_AT: 'sale:after-capture' }),
    ).not.toThrow();
  });
});
