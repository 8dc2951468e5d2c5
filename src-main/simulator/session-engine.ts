import type { Logger } from '../logging/logger';
import type { SimulatorScenarioId } from '../../src-shared/domain/simulator-scenarios';
import { unprocessable } from './http-util';
import {
  DEADLINES,
  scriptFor,
  type EntryMode,
  type Step,
  type Verification,
} from './scenario-scripts';
import {
  attachReceipts,
  bookOutcome,
  isManualSale,
  makePayment,
  touchIntent,
} from './session-outcomes';
import {
  atTime,
  isFinal,
  newId,
  nowIso,
  nowMs,
  stopTimers,
  type SessionRecord,
  type SimState,
} from './sim-state';
import type {
  TerminalSessionStatus,
  WireMoney,
  WirePaymentDetails,
  WireSessionDetails,
} from './wire-types';

type SessionEvent = 'step' | 'cancel' | 'deadline';

/**
 * Runs each terminal session's script; every delay is multiplied by timeScale. A live session
 * has one timer, for whichever comes first: its next step, its requested cancel, its deadline.
 * Everything a timer needs is in the session record, so a restored session carries on.
 */
export class SessionEngine {
  constructor(
    private readonly state: SimState,
    private readonly timeScale: number,
    private readonly log: Logger,
  ) {}

  private scaled(ms: number): number {
    return Math.max(0, Math.round(ms * this.timeScale));
  }

  start(input: {
    terminalId: string;
    details: WireSessionDetails;
    intentId: string | null;
    amount: WireMoney;
    scenario: SimulatorScenarioId;
  }): SessionRecord {
    const now = nowMs();
    const at = new Date(now).toISOString();
    const s: SessionRecord = {
      wire: {
        id: newId('ts'),
        terminalId: input.terminalId,
        status: 'InitiateRequested',
        createdAt: at,
        updatedAt: at,
        expireAt: at,
        details: input.details,
        notificationEvents: [],
        statusEvents: [{ status: 'InitiateRequested', createdAt: at, debugMessage: '' }],
      },
      scenario: input.scenario,
      intentId: input.intentId,
      amount: input.amount,
      cardPresented: false,
      halted: false,
      step: 0,
      stepAt: now,
      cancelDueAt: null,
      timer: null,
      payment: null,
      ...(input.scenario === 'signature-after-capture'
        ? { signatureGapMs: this.state.signatureGapMs }
        : {}),
    };
    this.state.sessions.set(s.wire.id, s);
    const terminal = this.state.terminal(input.terminalId);
    if (terminal) terminal.busyWith = s.wire.id;
    this.state.setTerminalStatus(input.terminalId, 'InUse');
    this.setDeadline(s, DEADLINES.pickUp);
    this.log.info('session started', {
      sessionId: s.wire.id,
      terminalId: input.terminalId,
      scenario: input.scenario,
    });
    this.arm(s);
    return s;
  }

  private script(s: SessionRecord): Step[] {
    return scriptFor(s.scenario, s.wire.details.sessionType);
  }

  /** What happens next to a live session, and when (epoch ms). */
  private nextEvent(s: SessionRecord): { at: number; kind: SessionEvent } | null {
    if (isFinal(s)) return null;
    // A cancel on its way stops everything else, the deadline included.
    if (s.cancelDueAt !== null) return { at: s.cancelDueAt, kind: 'cancel' };
    const deadline = Date.parse(s.wire.expireAt);
    const step = s.halted ? undefined : this.script(s)[s.step];
    if (step) {
      const after = step.kind === 'late-signature' ? (s.signatureGapMs ?? 0) : step.after;
      const due = s.stepAt + this.scaled(after);
      if (due <= deadline) return { at: due, kind: 'step' };
    }
    return { at: deadline, kind: 'deadline' };
  }

  /** (Re)arms the session's one timer for its next event. */
  private arm(s: SessionRecord): void {
    stopTimers(s);
    const next = this.nextEvent(s);
    if (!next) return;
    s.timer = setTimeout(
      () => {
        s.timer = null;
        this.fire(s, next.kind);
        this.arm(s);
        this.state.onChange();
      },
      Math.max(0, next.at - Date.now()),
    );
  }

  private fire(s: SessionRecord, kind: SessionEvent): void {
    if (isFinal(s)) return;
    if (kind === 'cancel') {
      this.finish(s, 'Canceled', 'Canceled by the EPOS');
      return;
    }
    if (kind === 'deadline') {
      this.onDeadline(s);
      return;
    }
    const step = this.script(s)[s.step];
    if (!step || s.halted) return;
    s.step += 1;
    s.stepAt = nowMs();
    this.apply(s, step);
  }

  /**
   * After a restart: replays, in time order and with the timestamps they would have had, the
   * events the live sessions missed while the simulator was down (the terminals kept going),
   * then arms their timers. A session whose expireAt passed ends as Dojo would show it.
   */
  resumeAll(): void {
    const now = Date.now();
    const live = [...this.state.sessions.values()].filter((s) => !isFinal(s));
    for (let guard = 0; guard < 10_000; guard += 1) {
      let first: { s: SessionRecord; at: number; kind: SessionEvent } | null = null;
      for (const s of live) {
        const next = this.nextEvent(s);
        if (next && next.at <= now && (!first || next.at < first.at)) first = { s, ...next };
      }
      if (!first) break;
      const { s, at, kind } = first;
      atTime(at, () => this.fire(s, kind));
    }
    for (const s of live) {
      this.arm(s);
      this.log.info('session resumed', { sessionId: s.wire.id, status: s.wire.status });
    }
  }

  private apply(s: SessionRecord, step: Step): void {
    switch (step.kind) {
      case 'initiated':
        this.setStatus(s, 'Initiated');
        this.setDeadline(s, DEADLINES.session);
        return;
      case 'notify':
        if (step.cardPresented) s.cardPresented = true;
        this.notify(s, step.notification);
        return;
      case 'approve':
        this.notify(s, 'Approved');
        this.approve(s, step.entryMode, step.verification);
        return;
      case 'decline':
        this.notify(s, 'Declined');
        attachReceipts(this.state, s, makePayment(step.entryMode, 'Pin', ''), 'DECLINED');
        this.finish(s, 'Declined', 'Card declined by issuer');
        return;
      case 'capture-before-signature': {
        // Captured on the session and the intent, card verified by signature; the check follows.
        const payment = makePayment(step.entryMode, 'Signature');
        s.payment = payment;
        bookOutcome(this.state, s, payment);
        s.wire.paymentDetails = payment;
        attachReceipts(this.state, s, payment, 'SUCCESSFUL');
        s.signatureAfterCapture = true;
        this.notify(s, 'Approved');
        this.setStatus(s, 'Captured');
        return;
      }
      case 'late-signature':
        this.setStatus(
          s,
          'SignatureVerificationRequired',
          'Waiting for the EPOS to verify the signature',
        );
        this.setDeadline(s, DEADLINES.signature);
        return;
      case 'signature': {
        s.payment = makePayment(step.entryMode, 'Signature');
        // The card is authorised; Dojo captures only once the signature is accepted.
        if (s.wire.details.sessionType === 'Sale')
          touchIntent(this.state, s.intentId, { status: 'Authorized' });
        this.setStatus(
          s,
          'SignatureVerificationRequired',
          'Waiting for the EPOS to verify the signature',
        );
        this.setDeadline(s, DEADLINES.signature);
        return;
      }
      case 'offline': {
        // The payment went through on the terminal, but the result never reaches the session.
        const payment = makePayment(step.entryMode, step.verification);
        s.payment = payment;
        bookOutcome(this.state, s, payment);
        s.halted = true;
        this.state.setTerminalStatus(s.wire.terminalId, 'Offline');
        // The offline scenario's terminals come back when the session expires.
        this.state.offlineByScenario.add(s.wire.terminalId);
        return;
      }
    }
  }

  private notify(s: SessionRecord, notificationType: string): void {
    const at = nowIso();
    s.wire.notificationEvents.push({ notificationType, createdAt: at });
    s.wire.updatedAt = at;
  }

  private setStatus(s: SessionRecord, status: TerminalSessionStatus, debugMessage = ''): void {
    const at = nowIso();
    s.wire.status = status;
    s.wire.statusEvents.push({ status, createdAt: at, debugMessage });
    s.wire.updatedAt = at;
  }

  /** Moves expireAt to now + ms (scaled); the session's timer picks it up when re-armed. */
  private setDeadline(s: SessionRecord, ms: number): void {
    s.wire.expireAt = new Date(nowMs() + this.scaled(ms)).toISOString();
  }

  private onDeadline(s: SessionRecord): void {
    if (isFinal(s)) return;
    if (s.signatureAfterCapture && s.wire.status === 'Captured') {
      // The session ran out before the late signature check: it stays Captured, as paid.
      s.signatureAfterCapture = false;
      this.finish(s, null, 'Session expired before the signature check');
      return;
    }
    if (s.wire.status === 'SignatureVerificationRequired') {
      this.answerSignature(
        s,
        true,
        'No answer within 80 seconds: signature accepted automatically',
      );
      return;
    }
    this.finish(s, 'Expired', 'Session expired');
  }

  private approve(s: SessionRecord, entryMode: EntryMode, verification: Verification): void {
    const payment = s.payment ?? this.sameCardForRefund(s, makePayment(entryMode, verification));
    if (!bookOutcome(this.state, s, payment)) {
      attachReceipts(this.state, s, { ...payment, authCode: '' }, 'DECLINED');
      this.finish(s, 'Declined', 'Refund exceeds the amount left to refund');
      return;
    }
    s.payment = payment;
    s.wire.paymentDetails = payment;
    attachReceipts(this.state, s, payment, 'SUCCESSFUL');
    this.finish(s, isManualSale(this.state, s) ? 'Authorized' : 'Captured', '');
  }

  /** A matched refund in training is taken on the card that paid (any card works on Dojo). */
  private sameCardForRefund(s: SessionRecord, payment: WirePaymentDetails): WirePaymentDetails {
    if (s.wire.details.sessionType !== 'MatchedRefund' || !s.intentId) return payment;
    const paid = this.state.intents.get(s.intentId)?.wire.paymentDetails?.card;
    if (!paid) return payment;
    return { ...payment, card: { ...paid, entryMode: payment.card.entryMode } };
  }

  /** Ends the session in a final status (null: keeps its status) and frees its terminal. */
  private finish(
    s: SessionRecord,
    status: TerminalSessionStatus | null,
    debugMessage: string,
  ): void {
    if (status) this.setStatus(s, status, debugMessage);
    s.signatureAfterCapture = false;
    s.halted = true;
    s.cancelDueAt = null;
    stopTimers(s);
    const terminal = this.state.terminal(s.wire.terminalId);
    if (terminal && terminal.busyWith === s.wire.id) {
      terminal.busyWith = null;
      if (terminal.wire.status === 'InUse')
        this.state.setTerminalStatus(terminal.wire.id, 'Available');
      if (this.state.offlineByScenario.delete(terminal.wire.id))
        this.state.setTerminalStatus(terminal.wire.id, 'Available');
    }
    this.log.info('session finished', { sessionId: s.wire.id, status: s.wire.status });
  }

  cancel(s: SessionRecord): void {
    if (s.wire.status === 'CancelRequested') return;
    if (isFinal(s))
      throw unprocessable(
        `The terminal session is already ${s.wire.status} and cannot be canceled.`,
      );
    if (s.cardPresented || s.wire.status === 'SignatureVerificationRequired') {
      throw unprocessable(
        'The terminal session cannot be canceled: a card has already been presented.',
      );
    }
    const terminalOnline = this.state.terminal(s.wire.terminalId)?.wire.status !== 'Offline';
    s.halted = true;
    this.setStatus(s, 'CancelRequested');
    // An offline terminal never hears the cancel: the session expires instead.
    s.cancelDueAt = terminalOnline ? nowMs() + this.scaled(DEADLINES.cancel) : null;
    this.arm(s);
  }

  answerSignature(s: SessionRecord, accepted: boolean, debugMessage = ''): void {
    if (s.wire.status !== 'SignatureVerificationRequired') {
      throw unprocessable(
        `The terminal session is ${s.wire.status}: no signature verification is pending.`,
      );
    }
    const payment = s.payment ?? makePayment('ContactChip', 'Signature');
    if (s.signatureAfterCapture) {
      // Already captured: accepting keeps it, rejecting reverses it.
      if (!accepted) touchIntent(this.state, s.intentId, { status: 'Reversed' });
      this.finish(
        s,
        accepted ? 'SignatureVerificationAccepted' : 'SignatureVerificationRejected',
        debugMessage || (accepted ? '' : 'Signature rejected by the EPOS; payment reversed'),
      );
      return;
    }
    if (!accepted) {
      touchIntent(this.state, s.intentId, { status: 'Reversed' });
      this.finish(
        s,
        'SignatureVerificationRejected',
        debugMessage || 'Signature rejected by the EPOS; payment reversed',
      );
      return;
    }
    // SignatureVerificationAccepted is final, as in Dojo's example; the intent carries the capture.
    this.notify(s, 'Approved');
    bookOutcome(this.state, s, payment);
    s.wire.paymentDetails = payment;
    attachReceipts(this.state, s, payment, 'SUCCESSFUL');
    this.finish(s, 'SignatureVerificationAccepted', debugMessage);
  }

  /** A terminal set Offline (control API) freezes its live session until it expires. */
  terminalWentOffline(terminalId: string): void {
    for (const s of this.state.sessions.values()) {
      if (s.wire.terminalId !== terminalId || isFinal(s)) continue;
      s.halted = true;
      // A cancel on its way never reaches the terminal either.
      s.cancelDueAt = null;
      this.arm(s);
    }
  }
}
