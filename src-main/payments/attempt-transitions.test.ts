import { describe, expect, it } from 'vitest';
import { TillError } from '../../src-shared/errors';
import {
  journalEventTypes,
  type AttemptKind,
  type AttemptState,
  type AttemptStateKind,
} from '../../src-shared/domain/payments';
import type { DojoTerminalSession } from '../dojo/dojo-schemas';
import { isFinalState } from './attempt-state';
import {
  allowedFrom,
  nextState,
  sameState,
  type AttemptInput,
  type AttemptInputType,
  type Step,
} from './attempt-transitions';
import type { JournalEntry } from './journal';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const at = (s: number) => new Date(NOW + s * 1000).toISOString();

const session = (
  status: string,
  statuses: string[] = [status],
  notes: string[] = [],
  expireAt: string | null = at(300),
): DojoTerminalSession => ({
  id: 'ts_1',
  terminalId: 'tm_1',
  status,
  expireAt,
  statusEvents: statuses.map((s, i) => ({ status: s, createdAt: at(i) })),
  notificationEvents: notes.map((n, i) => ({ notificationType: n, createdAt: at(i) })),
});

/** One state of every kind. */
const states = {
  creating_intent: { kind: 'creating_intent' },
  creating_session: { kind: 'creating_session' },
  in_progress: {
    kind: 'in_progress',
    sessionStatus: 'Initiated',
    prompt: 'PresentCard',
    expireAt: null,
  },
  signature_required: {
    kind: 'signature_required',
    sessionStatus: 'SignatureVerificationRequired',
    deadlineAt: at(80),
    decided: null,
  },
  signature_may_follow: { kind: 'signature_may_follow', sessionStatus: 'Captured', until: at(60) },
  cancel_requested: { kind: 'cancel_requested', sessionStatus: 'CancelRequested', prompt: null },
  confirming: { kind: 'confirming', sessionStatus: 'Captured' },
  succeeded: { kind: 'succeeded' },
  declined: { kind: 'declined', reason: 'The card was declined.' },
  canceled: { kind: 'canceled', reason: 'The payment was cancelled; no money was taken.' },
  failed: { kind: 'failed', reason: 'no' },
  unconfirmed: { kind: 'unconfirmed', reason: 'unsure', sessionStatus: null },
} satisfies Record<AttemptStateKind, AttemptState>;
const kinds = Object.keys(states) as AttemptStateKind[];

/** One input of every type, and the attempt kind it belongs to. */
const inputs: { [T in AttemptInputType]: Extract<AttemptInput, { type: T }> } = {
  'intent-created': { type: 'intent-created', paymentIntentId: 'pi_1', intentStatus: 'Created' },
  'intent-create-failed': {
    type: 'intent-create-failed',
    error: 'timed out',
    code: 'DOJO_TIMEOUT',
  },
  'intent-found': { type: 'intent-found', paymentIntentId: 'pi_1' },
  'session-created': {
    type: 'session-created',
    session: { id: 'ts_1', status: 'InitiateRequested', expireAt: at(300) },
  },
  'session-create-uncertain': { type: 'session-create-uncertain', error: 'timed out', try: 1 },
  'session-found': { type: 'session-found', sessionId: 'ts_1' },
  'session-create-ambiguous': { type: 'session-create-ambiguous', error: 'timed out' },
  'session-create-failed': { type: 'session-create-failed', error: 'busy', code: 'TERMINAL_BUSY' },
  'session-read': {
    type: 'session-read',
    session: session('Initiated', ['InitiateRequested', 'Initiated'], ['PresentCard']),
    seen: { statuses: 0, notifications: 0 },
    cardRead: null,
    now: NOW,
  },
  'session-reread': { type: 'session-reread', session: session('Initiated'), now: NOW },
  'session-recovered': {
    type: 'session-recovered',
    session: { id: 'ts_9', status: 'Initiated', expireAt: null },
  },
  'polling-resumed': { type: 'polling-resumed' },
  'link-lost': { type: 'link-lost', error: 'Dojo cannot be reached' },
  'link-back': { type: 'link-back' },
  'session-lost': { type: 'session-lost', error: 'not found' },
  'cancel-requested': { type: 'cancel-requested' },
  'cancel-accepted': { type: 'cancel-accepted', sessionStatus: 'CancelRequested' },
  'cancel-refused': { type: 'cancel-refused', code: 'ORDER_STATE', error: 'card presented' },
  'signature-decision': { type: 'signature-decision', accepted: true, late: false },
  'signature-answer-refused': {
    type: 'signature-answer-refused',
    accepted: false,
    late: true,
    error: '422',
  },
  'intent-not-final': { type: 'intent-not-final', intentStatus: 'Authorized' },
  'late-signature-watch': {
    type: 'late-signature-watch',
    intentStatus: 'Captured',
    verificationMethod: 'Signature',
    until: at(90),
  },
  'intent-read': {
    type: 'intent-read',
    intentStatus: 'Captured',
    refundedAmount: null,
    checkingAgain: false,
  },
  'refund-result': { type: 'refund-result', checkingAgain: false, intent: null },
  'check-again': { type: 'check-again', sessionStatus: 'Declined', by: 'operator' },
  'captured-without-session': { type: 'captured-without-session', intentStatus: 'Captured' },
  'needs-operator': { type: 'needs-operator', reason: 'look at the terminal' },
  'not-started': { type: 'not-started', reason: 'never started', terminalStatus: 'Available' },
  'manual-record': {
    type: 'manual-record',
    outcome: 'paid',
    note: 'slip seen',
    staffId: 's1',
    approvedBy: 'm1',
    intentStatus: null,
  },
  'manual-record-refused': {
    type: 'manual-record-refused',
    outcome: 'not-paid',
    intentStatus: 'Captured',
  },
};
const inputTypes = Object.keys(inputs) as AttemptInputType[];
const kindFor = (t: AttemptInputType): AttemptKind =>
  t === 'refund-result' ? 'matched_refund' : 'sale';

const step = (
  state: AttemptStateKind | AttemptState,
  input: AttemptInput,
  kind: AttemptKind = 'sale',
): Step => nextState({ kind, state: typeof state === 'string' ? states[state] : state }, input);
const types = (s: Step) => s.journal.map((e) => e.type);

describe('nextState: the transition table', () => {
  it('takes every input in the states the table allows it, and refuses it in every other state', () => {
    let allowed = 0;
    let refused = 0;
    for (const type of inputTypes) {
      const from = allowedFrom(type);
      for (const kind of kinds) {
        const run = () => step(kind, inputs[type], kindFor(type));
        if (from === 'any' || from.includes(kind)) {
          expect(run, `${type} from ${kind}`).not.toThrow();
          allowed += 1;
        } else {
          expect(run, `${type} from ${kind}`).toThrow(TillError);
          expect(run).toThrow(
            `A payment attempt that is ${kind.replace(/_/g, ' ')} cannot take "${type}".`,
          );
          refused += 1;
        }
      }
    }
    // The table is not trivially open or closed.
    expect(allowed).toBeGreaterThan(60);
    expect(refused).toBeGreaterThan(200);
  });

  it('never moves a final state: every input there is refused or only journalled', () => {
    for (const kind of kinds.filter((k) => isFinalState(states[k]))) {
      for (const type of inputTypes) {
        let result: Step | null = null;
        try {
          result = step(kind, inputs[type], kindFor(type));
        } catch (error) {
          expect(error).toBeInstanceOf(TillError);
          continue;
        }
        expect(result.state, `${type} from ${kind}`).toBe(states[kind]);
        expect(result.journal.length).toBeGreaterThan(0);
      }
    }
    // A cancel Dojo accepts after the payment was captured leaves it captured, and says so.
    const late = step('succeeded', inputs['cancel-accepted']);
    expect(late.state).toEqual({ kind: 'succeeded' });
    expect(late.journal).toEqual([
      {
        source: 'dojo',
        type: 'cancel-accepted',
        detail: { sessionStatus: 'CancelRequested', stateMeanwhile: 'succeeded' },
      },
    ]);
  });

  it('writes only journal kinds from the closed list, each input with its own entries', () => {
    const written = new Set<string>();
    for (const type of inputTypes)
      for (const kind of kinds) {
        try {
          for (const e of step(kind, inputs[type], kindFor(type)).journal) written.add(e.type);
        } catch {
          // refused: covered above
        }
      }
    for (const t of written) expect(journalEventTypes).toContain(t);
    // Every other kind comes out of some transition: the opening entry is insertAttempt's, and
    // the signature and unknown-status entries of a session read are checked one by one below.
    expect(journalEventTypes.filter((t) => !written.has(t)).sort()).toEqual([
      'attempt-created',
      'signature-card-read',
      'signature-required',
      'unknown-session-status',
    ]);
  });
});

describe('nextState: each move', () => {
  it('creates the intent, then the session; a failure before the terminal is asked is final', () => {
    expect(step('creating_intent', inputs['intent-created'])).toEqual({
      state: { kind: 'creating_session' },
      journal: [
        {
          source: 'dojo',
          type: 'intent-created',
          detail: { paymentIntentId: 'pi_1', status: 'Created' },
        },
      ],
    });
    expect(step('creating_intent', inputs['intent-create-failed'])).toEqual({
      state: { kind: 'failed', reason: 'timed out' },
      journal: [
        {
          source: 'till',
          type: 'intent-create-failed',
          detail: { error: 'timed out', code: 'DOJO_TIMEOUT' },
        },
      ],
    });
    expect(step('creating_session', inputs['session-created']).state).toEqual({
      kind: 'in_progress',
      sessionStatus: 'InitiateRequested',
      prompt: null,
      expireAt: at(300),
    });
    expect(step('creating_session', inputs['session-create-ambiguous']).state).toEqual({
      kind: 'unconfirmed',
      reason:
        'The terminal may have started this payment (timed out). Look at the terminal, then check again.',
      sessionStatus: null,
    });
    expect(step('creating_session', inputs['session-create-failed']).state).toEqual({
      kind: 'failed',
      reason: 'busy',
    });
    const found = step('creating_session', inputs['session-found']);
    expect(found.state).toBe(states.creating_session);
    expect(found.journal).toEqual([
      { source: 'till', type: 'session-adopted', detail: { sessionId: 'ts_1' } },
    ]);
  });

  it('a session read journals only the events not seen before, and moves with the session', () => {
    const read = (
      from: AttemptState,
      s: DojoTerminalSession,
      seen = { statuses: 0, notifications: 0 },
      cardRead: Extract<AttemptInput, { type: 'session-read' }>['cardRead'] = null,
    ) => step(from, { type: 'session-read', session: s, seen, cardRead, now: NOW });
    const live = read(
      states.in_progress,
      session('Initiated', ['InitiateRequested', 'Initiated'], ['PresentCard', 'EnterPin']),
      { statuses: 1, notifications: 1 },
    );
    expect(live.state).toEqual({
      kind: 'in_progress',
      sessionStatus: 'Initiated',
      prompt: 'EnterPin',
      expireAt: at(300),
    });
    expect(live.journal).toEqual([
      {
        source: 'dojo',
        type: 'session-status',
        detail: { status: 'Initiated', dojoAt: at(1), debugMessage: null },
      },
      {
        source: 'dojo',
        type: 'notification',
        detail: { notificationType: 'EnterPin', dojoAt: at(1) },
      },
    ]);
    // Nothing new: the same state, nothing to journal.
    const quiet = read(
      live.state,
      session('Initiated', ['InitiateRequested', 'Initiated'], ['PresentCard', 'EnterPin']),
      { statuses: 2, notifications: 2 },
    );
    expect(sameState(quiet.state, live.state)).toBe(true);
    expect(quiet.journal).toEqual([]);

    const sig = read(
      states.in_progress,
      session('SignatureVerificationRequired', ['Initiated', 'SignatureVerificationRequired']),
      { statuses: 1, notifications: 0 },
      { found: true, intentStatus: 'Authorized', last4: '0119', cardType: 'VISA' },
    );
    expect(sig.state).toEqual({
      kind: 'signature_required',
      sessionStatus: 'SignatureVerificationRequired',
      deadlineAt: at(81),
      decided: null,
    });
    expect(types(sig)).toEqual(['session-status', 'signature-required', 'signature-card-read']);

    // Dojo decided before the cashier did: journalled, and an acceptance means the signature was taken.
    const auto = read(
      sig.state,
      session('SignatureVerificationAccepted', [
        'SignatureVerificationRequired',
        'SignatureVerificationAccepted',
      ]),
      { statuses: 1, notifications: 0 },
    );
    expect(auto.state).toEqual({
      kind: 'confirming',
      sessionStatus: 'SignatureVerificationAccepted',
    });
    expect(types(auto)).toEqual(['session-status', 'signature-auto-decided']);
    expect(auto.signatureTaken).toBe(true);
    const rejected = read(
      sig.state,
      session('SignatureVerificationRejected', ['SignatureVerificationRejected']),
      { statuses: 1, notifications: 0 },
    );
    expect(types(rejected)).toEqual(['signature-auto-decided']);
    expect(rejected.signatureTaken).toBeUndefined();

    // An unknown status is journalled and polled on (docs/PAYMENTS.md rule 9); a cancel stays requested.
    const odd = read(states.cancel_requested, session('Teleporting', ['Teleporting']), {
      statuses: 1,
      notifications: 0,
    });
    expect(odd.state).toEqual({
      kind: 'cancel_requested',
      sessionStatus: 'Teleporting',
      prompt: null,
    });
    expect(types(odd)).toEqual(['unknown-session-status']);
  });

  it('the cashier: cancel only while in progress, a signature decision only while it is asked', () => {
    expect(step('in_progress', inputs['cancel-requested']).journal).toEqual([
      { source: 'cashier', type: 'cancel-requested' },
    ]);
    expect(step('in_progress', inputs['cancel-accepted']).state).toEqual({
      kind: 'cancel_requested',
      sessionStatus: 'CancelRequested',
      prompt: 'PresentCard',
    });
    // Moved on while Dojo answered: never written back.
    expect(step('confirming', inputs['cancel-accepted']).state).toBe(states.confirming);
    const yes = step('signature_required', inputs['signature-decision']);
    expect(yes.state).toEqual({ ...states.signature_required, decided: true });
    expect(yes.signatureTaken).toBe(true);
    const no = step('signature_required', {
      type: 'signature-decision',
      accepted: false,
      late: true,
    });
    expect(no.signatureTaken).toBe(false);
    expect(no.journal[0]?.detail).toEqual({
      accepted: false,
      decidedBy: 'cashier',
      late: true,
      stateMeanwhile: 'signature_required',
    });
    const after = step('confirming', inputs['signature-decision']);
    expect(after.state).toBe(states.confirming);
    expect(after.signatureTaken).toBeUndefined();
  });

  it('the last word: the intent decides a sale, the session a refund', () => {
    const read = (from: AttemptState, intentStatus: string, checkingAgain = false) =>
      step(from, { type: 'intent-read', intentStatus, refundedAmount: null, checkingAgain });
    expect(read(states.confirming, 'Captured').state).toEqual({ kind: 'succeeded' });
    expect(read(states.confirming, 'Captured').journal[0]?.detail).toEqual({
      intentStatus: 'Captured',
      sessionStatus: 'Captured',
      outcome: 'Dojo confirms the payment was taken',
      refundedAmount: null,
    });
    const expired = { kind: 'confirming', sessionStatus: 'Expired' } as const;
    expect(read(expired, 'Created').state.kind).toBe('unconfirmed');
    expect(read(expired, 'Created', true).state.kind).toBe('canceled');
    expect(read(states.unconfirmed, 'Created').state).toEqual({
      kind: 'unconfirmed',
      reason:
        'The terminal said unknown but Dojo reports the payment as Created. Check again before taking payment another way.',
      sessionStatus: 'unknown',
    });
    expect(() => step('confirming', inputs['intent-read'], 'matched_refund')).toThrow(
      'A matched refund attempt cannot take "intent-read".',
    );
    expect(step('confirming', inputs['refund-result'], 'matched_refund')).toEqual({
      state: { kind: 'succeeded' },
      journal: [{ source: 'dojo', type: 'refund-result', detail: { sessionStatus: 'Captured' } }],
    });
    expect(
      step(
        { kind: 'confirming', sessionStatus: 'Declined' },
        {
          type: 'refund-result',
          checkingAgain: false,
          intent: { status: 'Captured', refundedAmount: 300 },
        },
        'unlinked_refund',
      ),
    ).toEqual({
      state: { kind: 'declined', reason: 'The terminal declined the refund.' },
      journal: [
        {
          source: 'dojo',
          type: 'refund-result',
          detail: { sessionStatus: 'Declined', intentStatus: 'Captured', refundedAmount: 300 },
        },
      ],
    });
    expect(() => step('confirming', inputs['refund-result'], 'sale')).toThrow(TillError);
    expect(step('confirming', inputs['intent-not-final'])).toEqual({
      state: { kind: 'in_progress', sessionStatus: 'Captured', prompt: null, expireAt: null },
      journal: [
        {
          source: 'dojo',
          type: 'intent-not-final',
          detail: { intentStatus: 'Authorized', sessionStatus: 'Captured' },
        },
      ],
    });
    expect(step('confirming', inputs['late-signature-watch']).state).toEqual({
      kind: 'signature_may_follow',
      sessionStatus: 'Captured',
      until: at(90),
    });
  });

  it('recovery and the operator', () => {
    expect(step('unconfirmed', inputs['check-again'])).toEqual({
      state: { kind: 'confirming', sessionStatus: 'Declined' },
      journal: [{ source: 'operator', type: 'check-again', detail: { sessionStatus: 'Declined' } }],
    });
    expect(step('confirming', inputs['needs-operator']).state).toEqual({
      kind: 'unconfirmed',
      reason: 'look at the terminal',
      sessionStatus: 'Captured',
    });
    expect(step('creating_session', inputs['needs-operator']).state).toEqual({
      kind: 'unconfirmed',
      reason: 'look at the terminal',
      sessionStatus: null,
    });
    expect(step('creating_session', inputs['not-started'])).toEqual({
      state: { kind: 'failed', reason: 'never started' },
      journal: [
        {
          source: 'recovery',
          type: 'not-started',
          detail: { reason: 'never started', terminalStatus: 'Available' },
        },
      ],
    });
    expect(step('unconfirmed', inputs['captured-without-session']).state).toEqual({
      kind: 'confirming',
      sessionStatus: 'unknown',
    });
    expect(step('unconfirmed', inputs['session-recovered']).state).toEqual({
      kind: 'in_progress',
      sessionStatus: 'Initiated',
      prompt: null,
      expireAt: null,
    });
    expect(
      step('unconfirmed', { type: 'session-reread', session: session('Declined'), now: NOW }),
    ).toEqual({
      state: { kind: 'confirming', sessionStatus: 'Declined' },
      journal: [],
    });
    expect(step('in_progress', inputs['session-lost'])).toEqual({
      state: {
        kind: 'unconfirmed',
        reason: 'Dojo no longer knows this terminal session. Check the terminal, then check again.',
        sessionStatus: null,
      },
      journal: [
        {
          source: 'till',
          type: 'session-lost',
          detail: { error: 'not found', previous: 'in_progress' },
        },
      ],
    });
    expect(step('signature_may_follow', inputs['polling-resumed']).journal).toEqual([
      { source: 'recovery', type: 'polling-resumed', detail: { state: 'signature_may_follow' } },
    ]);
  });

  it('a manual record ends an unconfirmed attempt, in words that name the kind', () => {
    const paid = step('unconfirmed', inputs['manual-record']);
    expect(paid.state).toEqual({ kind: 'succeeded' });
    expect(paid.journal[0]?.detail).toEqual({
      outcome: 'paid',
      note: 'slip seen',
      staffId: 's1',
      approvedBy: 'm1',
      intentStatus: null,
      previousReason: 'unsure',
    });
    const notPaid = { ...inputs['manual-record'], outcome: 'not-paid' } as const;
    expect(step('unconfirmed', notPaid).state).toEqual({
      kind: 'failed',
      reason: 'Recorded by hand as not paid: slip seen',
    });
    expect(step('unconfirmed', notPaid, 'unlinked_refund').state).toEqual({
      kind: 'failed',
      reason: 'Recorded by a manager as not refunded: slip seen',
    });
    expect(() => step('unconfirmed', notPaid, 'matched_refund')).toThrow(TillError);
  });
});

describe('sameState', () => {
  it('compares kind and every field, whatever the key order', () => {
    expect(sameState({ kind: 'succeeded' }, { kind: 'succeeded' })).toBe(true);
    expect(sameState(states.confirming, { sessionStatus: 'Captured', kind: 'confirming' })).toBe(
      true,
    );
    expect(sameState(states.confirming, { kind: 'confirming', sessionStatus: 'Declined' })).toBe(
      false,
    );
    expect(sameState(states.failed, { kind: 'declined', reason: 'no' })).toBe(false);
    expect(sameState(states.in_progress, { ...states.in_progress, expireAt: at(1) })).toBe(false);
    expect(
      sameState(states.signature_required, { ...states.signature_required, decided: false }),
    ).toBe(false);
  });
});

describe('the journal writer', () => {
  it('refuses an unknown kind, or a detail of the wrong shape, at compile time', () => {
    // @ts-expect-error: not a journal kind
    const unknownKind: JournalEntry = { source: 'till', type: 'made-up' };
    // @ts-expect-error: a link loss says why
    const noDetail: JournalEntry = { source: 'till', type: 'link-lost' };
    // @ts-expect-error: not a source
    const badSource: JournalEntry = { source: 'someone', type: 'link-back' };
    expect([unknownKind, noDetail, badSource]).toHaveLength(3);
  });
});
