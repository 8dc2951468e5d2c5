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
import { isFinal, newId, nowIso, stopTimers, type SessionRecord, type SimState } from './sim-state';
import type { TerminalSessionStatus, WireMoney, WireSessionDetails } from './wire-types';

/** Runs each terminal session's script on timers; every delay is multiplied by timeScale. */
export class SessionEngine {
  constructor(
    private readonly state: SimState,
    private readonly timeScale: number,
    private readonly log: Logger,
  ) {}

  private scaled(ms: number): number {
    return Math.max(0, Math.round(ms * this.timeScale));
  }

  private later(s: SessionRecord, ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      s.timers.delete(t);
      fn();
    }, this.scaled(ms));
    s.timers.add(t);
  }

  start(input: {
    terminalId: string;
    details: WireSessionDetails;
    intentId: string | null;
    amount: WireMoney;
    scenario: SimulatorScenarioId;
  }): SessionRecord {
    const at = nowIso();
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
      timers: new Set(),
      deadline: null,
      payment: null,
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
    this.runSteps(s, scriptFor(input.scenario, input.details.sessionType), 0);
    return s;
  }

  private runSteps(s: SessionRecord, steps: Step[], index: number): void {
    const step = steps[index];
    if (!step || s.halted) return;
    this.later(s, step.after, () => {
      if (s.halted || isFinal(s)) return;
      this.apply(s, step);
      this.runSteps(s, steps, index + 1);
    });
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
        stopTimers(s);
        this.state.setTerminalStatus(s.wire.terminalId, 'Offline');
        this.offlineByScenario.add(s.wire.terminalId);
        this.armDeadline(s);
        return;
      }
    }
  }

  /** Terminals the offline scenario took down; they come back when the session expires. */
  private readonly offlineByScenario = new Set<string>();

  reset(): void {
    this.offlineByScenario.clear();
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

  /** Moves expireAt to now + ms (scaled) and arms the timer that acts on it. */
  private setDeadline(s: SessionRecord, ms: number): void {
    s.wire.expireAt = new Date(Date.now() + this.scaled(ms)).toISOString();
    this.armDeadline(s);
  }

  private armDeadline(s: SessionRecord): void {
    if (s.deadline) clearTimeout(s.deadline);
    const wait = Math.max(0, Date.parse(s.wire.expireAt) - Date.now());
    s.deadline = setTimeout(() => {
      s.deadline = null;
      this.onDeadline(s);
    }, wait);
  }

  private onDeadline(s: SessionRecord): void {
    if (isFinal(s)) return;
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
    const payment = s.payment ?? makePayment(entryMode, verification);
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

  /** Ends the session in a final status and frees its terminal. */
  private finish(s: SessionRecord, status: TerminalSessionStatus, debugMessage: string): void {
    this.setStatus(s, status, debugMessage);
    s.halted = true;
    stopTimers(s);
    const terminal = this.state.terminal(s.wire.terminalId);
    if (terminal && terminal.busyWith === s.wire.id) {
      terminal.busyWith = null;
      if (terminal.wire.status === 'InUse')
        this.state.setTerminalStatus(terminal.wire.id, 'Available');
      if (this.offlineByScenario.delete(terminal.wire.id))
        this.state.setTerminalStatus(terminal.wire.id, 'Available');
    }
    this.log.info('session finished', { sessionId: s.wire.id, status });
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
    stopTimers(s);
    s.halted = true;
    this.setStatus(s, 'CancelRequested');
    // An offline terminal never hears the cancel: the session expires instead.
    if (terminalOnline)
      this.later(s, DEADLINES.cancel, () => this.finish(s, 'Canceled', 'Canceled by the EPOS'));
    else this.armDeadline(s);
  }

  answerSignature(s: SessionRecord, accepted: boolean, debugMessage = ''): void {
    if (s.wire.status !== 'SignatureVerificationRequired') {
      throw unprocessable(
        `The terminal session is ${s.wire.status}: no signature verification is pending.`,
      );
    }
    if (s.deadline) clearTimeout(s.deadline);
    s.deadline = null;
    const payment = s.payment ?? makePayment('ContactChip', 'Signature');
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
      for (const t of s.timers) clearTimeout(t);
      s.timers.clear();
      this.armDeadline(s);
    }
  }
}
