import type { StateCreator } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type { ErrorShape } from '../../src-shared/errors';
import type {
  AttemptState,
  AttemptToCheck,
  PaymentAttempt,
  PaymentProgress,
} from '../../src-shared/domain/payments';
import { assertNever } from '../../src-shared/errors';
import { formatMoney } from '../../src-shared/money';
import { pinError, pinProblem, type PinError } from '../lib/pin-error';
import { promptText } from '../../src-shared/domain/payments';
import { createRequestKeys } from '../lib/request-key';
import type { TillState } from './store';
import { cardUnavailableWords } from './awaiting.slice';

export type TimelineEntry = { at: string; text: string };

export type PaymentView = {
  attempt: PaymentAttempt;
  /** Latest terminal prompt (Dojo notification type), possibly unknown to the till. */
  prompt: string | null;
  timeline: TimelineEntry[];
  /**
   * A manager's record by hand, set while it is sent and kept once accepted: without it a manual
   * "paid" reads as a card approval on screen.
   */
  manual: ManualRecord | null;
  /** Opened from "payments to check" or an order's detail to record it by hand. */
  recordOnOpen?: boolean;
  /** The core's polls of this live session cannot reach Dojo right now. */
  linkLost?: boolean;
};

export type ManualOutcome = 'paid' | 'not-paid';
export type ManualRecord = { outcome: ManualOutcome; note: string };

/** What stopped a payment from starting or an action from going through, in plain words. */
export type PaymentProblem = {
  code: ErrorShape['code'];
  message: string;
  terminalId: string | null;
  amountMinor: number;
};

export type PaymentSlice = {
  payment: PaymentView | null;
  paymentProblem: PaymentProblem | null;
  paymentBusy: boolean;
  startCardSale: (amountMinor: number, terminalId?: string, tipMinor?: number) => Promise<void>;
  /** From the basket: commit the order and send all of it to the terminal. */
  payWholeByCard: () => Promise<void>;
  startMatchedRefund: (input: {
    originalAttemptId: string;
    amountMinor?: number;
    reason?: string;
  }) => Promise<boolean>;
  startUnlinkedRefund: (input: {
    amountMinor: number;
    managerPin: string;
    reason?: string;
    orderId?: string;
  }) => Promise<PinError | null>;
  applyProgress: (progress: PaymentProgress) => void;
  /** Reads the shown attempt again (after the link to the core was down, events may be missed). */
  resyncPayment: () => Promise<void>;
  cancelPayment: () => Promise<void>;
  decideSignature: (accepted: boolean) => Promise<void>;
  checkAgain: () => Promise<void>;
  /** An unconfirmed sale, settled by a manager from what the terminal or Dojo shows. */
  recordManually: (input: {
    outcome: ManualOutcome;
    note: string;
    managerPin: string;
  }) => Promise<PinError | null>;
  retrySale: () => Promise<void>;
  closePayment: () => Promise<void>;
  clearPaymentProblem: () => void;
  /** Attempts whose result cannot be confirmed, as the core lists them. */
  toCheck: AttemptToCheck[];
  toCheckOpen: boolean;
  loadToCheck: () => Promise<void>;
  openToCheck: () => Promise<void>;
  closeToCheck: () => void;
  /**
   * Brings an earlier attempt back into the payment dialog (from "payments to check" or an
   * order's detail), then checks it again or opens the manual record.
   */
  openAttempt: (attemptId: string, action: 'check' | 'record') => Promise<void>;
  /** The manual record opened with the attempt was left with Back: the payment dialog shows. */
  dismissRecordOnOpen: () => void;
};

/**
 * One line for the timeline, per state (the prompt carries the detail while in progress). A
 * refund is called a refund: "Payment on the terminal" during a refund misleads.
 */
export function stateWords(state: AttemptState, refund = false): string {
  const what = refund ? 'refund' : 'payment';
  switch (state.kind) {
    case 'creating_intent':
      return `Creating the ${what} with Dojo`;
    case 'creating_session':
      return `Sending the ${what} to the terminal`;
    case 'in_progress':
      return refund ? 'Refund on the terminal' : 'Payment on the terminal';
    case 'signature_required':
      return 'Signature check needed';
    case 'signature_may_follow':
      return 'Approved — a signature check may follow';
    case 'cancel_requested':
      return refund
        ? 'Cancel requested — the terminal may still make the refund'
        : 'Cancel requested — the terminal may still take the payment';
    case 'confirming':
      return 'Confirming the result with Dojo';
    case 'succeeded':
      return 'Approved';
    case 'declined':
      return `Declined: ${state.reason}`;
    case 'canceled':
      return `Cancelled: ${state.reason}`;
    case 'failed':
      return `Not taken: ${state.reason}`;
    case 'unconfirmed':
      return `Result cannot be confirmed: ${state.reason}`;
    default:
      return assertNever(state, 'attempt state');
  }
}

/** The timeline's words for a state, told apart when a manager recorded the result by hand. */
export function viewWords(
  state: AttemptState,
  manual: ManualRecord | null,
  refund = false,
): string {
  if (manual?.outcome === 'paid' && state.kind === 'succeeded')
    return `Recorded by a manager as paid: ${manual.note}`;
  if (manual?.outcome === 'not-paid' && state.kind === 'failed') return state.reason;
  return stateWords(state, refund);
}

const now = () => new Date().toISOString();

export const createPaymentSlice =
  (till: TillApi): StateCreator<TillState, [], [], PaymentSlice> =>
  (set, get) => {
    const keys = createRequestKeys();
    const show = (attempt: PaymentAttempt, recordOnOpen = false) => {
      const text = stateWords(attempt.state, attempt.kind !== 'sale');
      set({
        payment: {
          attempt,
          prompt: null,
          timeline: [
            {
              at: attempt.createdAt,
              text: `${formatMoney(attempt.amountMinor, attempt.currency)} sent to TID ${tidOf(attempt)}`,
            },
            { at: now(), text },
          ],
          manual: null,
          recordOnOpen,
        },
        paymentProblem: null,
      });
    };
    const tidOf = (a: PaymentAttempt) =>
      a.terminalTid ?? get().terminals.find((t) => t.id === a.terminalId)?.tid ?? a.terminalId;
    const replace = (attempt: PaymentAttempt) => {
      const p = get().payment;
      if (!p || p.attempt.id !== attempt.id) {
        show(attempt);
        return;
      }
      const text = viewWords(attempt.state, p.manual, attempt.kind !== 'sale');
      const last = p.timeline[p.timeline.length - 1];
      set({
        payment: {
          ...p,
          attempt,
          timeline: last?.text === text ? p.timeline : [...p.timeline, { at: now(), text }],
        },
      });
    };
    const problem = (e: ErrorShape, terminalId: string | null, amountMinor: number) => {
      const message =
        e.code === 'CARD_ALREADY_PRESENTED'
          ? 'The card has already been presented, so the terminal will not cancel now. Wait for the result on the terminal.'
          : e.message;
      set({ paymentProblem: { code: e.code, message, terminalId, amountMinor } });
    };
    const afterFinal = async (attempt: PaymentAttempt) => {
      const full = await till['payments:get']({ attemptId: attempt.id });
      if (full.ok) replace(full.value);
      // The order on screen, the awaiting-card list and the order's detail follow the core's
      // orders:changed (a card tender is applied through the orders feature, like cash) and
      // payments:progress events (store/bridge.ts): nothing is read again here.
      // The core keeps the terminals' status fresh and pushes it: no terminal read per sale here.
      await get().loadToCheck();
    };

    return {
      payment: null,
      paymentProblem: null,
      paymentBusy: false,
      async startCardSale(amountMinor, terminalId, tipMinor) {
        const c = get().checkout;
        const tid = terminalId ?? get().selectedTerminalId;
        if (!c) return;
        if (!tid) {
          set({
            paymentProblem: {
              code: 'VALIDATION',
              message: 'Choose a card terminal first (top right)',
              terminalId: null,
              amountMinor,
            },
          });
          return;
        }
        await keys.press(`start-sale:${c.order.id}`, async (idempotencyKey) => {
          set({ paymentBusy: true, paymentProblem: null });
          const r = await till['payments:start-sale']({
            orderId: c.order.id,
            terminalId: tid,
            amountMinor,
            ...(tipMinor ? { tipMinor } : {}),
            idempotencyKey,
          });
          set({ paymentBusy: false });
          if (!r.ok) {
            problem(r.error, tid, amountMinor);
            void get().loadTerminals();
            return;
          }
          show(r.value);
          if (r.value.isFinal) await afterFinal(r.value);
        });
      },
      async payWholeByCard() {
        if (get().status?.dojo.state === 'offline') {
          set({ basketMessage: { kind: 'error', text: cardUnavailableWords } });
          return;
        }
        if (!(await get().beginCheckout())) return;
        const remaining = get().checkout?.order.remainingMinor ?? 0;
        // With the tip offer on, the customer chooses a tip first (the checkout shows the offer).
        if (remaining > 0 && get().settings?.tipOffer) return get().setTipPrompt(remaining);
        if (remaining > 0) await get().startCardSale(remaining);
      },
      async startMatchedRefund(input) {
        const tid = get().selectedTerminalId;
        if (!tid) {
          set({
            paymentProblem: {
              code: 'VALIDATION',
              message: 'Choose a card terminal first (top right)',
              terminalId: null,
              amountMinor: input.amountMinor ?? 0,
            },
          });
          return false;
        }
        return keys.press(`refund-matched:${input.originalAttemptId}`, async (idempotencyKey) => {
          set({ paymentBusy: true, paymentProblem: null });
          const r = await get().withApproval((approval) =>
            till['refunds:matched']({
              ...input,
              terminalId: tid,
              idempotencyKey,
              ...(approval ? { approval } : {}),
            }),
          );
          set({ paymentBusy: false });
          if (!r.ok) {
            problem(r.error, tid, input.amountMinor ?? 0);
            // Refused (often: another till or tab refunded it meanwhile): show today's figures.
            void get().refreshSelectedOrder();
            return false;
          }
          show(r.value.attempt);
          return true;
        });
      },
      async startUnlinkedRefund(input) {
        const tid = get().selectedTerminalId;
        if (!tid) return pinProblem('Choose a card terminal first (top right)');
        return keys.press('refund-unlinked', async (idempotencyKey) => {
          set({ paymentBusy: true, paymentProblem: null });
          // The PIN typed on the form approves this refund (a supervisor's or manager's).
          const { managerPin, ...rest } = input;
          const r = await till['refunds:unlinked']({
            ...rest,
            terminalId: tid,
            idempotencyKey,
            approval: { pin: managerPin },
          });
          set({ paymentBusy: false });
          if (!r.ok) return pinError(r.error, 'Wrong manager PIN: the refund was not started');
          show(r.value.attempt);
          return null;
        });
      },
      applyProgress(progress) {
        const p = get().payment;
        if (!p || p.attempt.id !== progress.attemptId) return;
        const timeline = [...p.timeline];
        const push = (text: string) => {
          if (timeline[timeline.length - 1]?.text !== text) timeline.push({ at: now(), text });
        };
        if (progress.state.kind !== p.attempt.state.kind)
          push(viewWords(progress.state, p.manual, p.attempt.kind !== 'sale'));
        if (progress.prompt && progress.prompt !== p.prompt)
          push(promptText(progress.prompt) ?? progress.prompt);
        // A progress event comes from a poll that got through, unless it says the link is lost.
        const linkLost = progress.linkLost ?? false;
        if (linkLost !== (p.linkLost ?? false))
          push(linkLost ? 'Link to Dojo lost — waiting for it to come back' : 'Link to Dojo back');
        // The masked card rides on the event from the signature check on (last four to compare).
        const attempt = {
          ...p.attempt,
          state: progress.state,
          isFinal: progress.isFinal,
          card: progress.card ?? p.attempt.card,
        };
        set({
          payment: { ...p, attempt, prompt: progress.prompt ?? p.prompt, timeline, linkLost },
        });
        // A note about this attempt ("the card is already presented, it cannot be cancelled")
        // stops being true once its result is in: it must not stay under "Payment approved".
        if (progress.isFinal && get().paymentProblem) set({ paymentProblem: null });
        if (progress.isFinal || progress.state.kind === 'unconfirmed') void afterFinal(attempt);
      },
      async resyncPayment() {
        const p = get().payment;
        if (!p) return;
        const r = await till['payments:get']({ attemptId: p.attempt.id });
        if (!r.ok) return;
        const a = r.value;
        get().applyProgress({
          attemptId: a.id,
          orderId: a.orderId,
          kind: a.kind,
          amountMinor: a.amountMinor,
          state: a.state,
          prompt: null,
          newPrompts: [],
          isFinal: a.isFinal,
          card: a.card,
        });
      },
      async cancelPayment() {
        const p = get().payment;
        if (!p) return;
        set({ paymentBusy: true });
        const r = await till['payments:cancel']({ attemptId: p.attempt.id });
        set({ paymentBusy: false });
        if (r.ok) replace(r.value);
        else problem(r.error, p.attempt.terminalId, p.attempt.amountMinor);
      },
      async decideSignature(accepted) {
        const p = get().payment;
        if (!p) return;
        set({ paymentBusy: true });
        const r = await till['payments:signature']({ attemptId: p.attempt.id, accepted });
        set({ paymentBusy: false });
        if (r.ok) replace(r.value);
        else problem(r.error, p.attempt.terminalId, p.attempt.amountMinor);
      },
      async checkAgain() {
        const p = get().payment;
        if (!p) return;
        set({ paymentBusy: true });
        const r = await till['payments:check-again']({ attemptId: p.attempt.id });
        set({ paymentBusy: false });
        if (!r.ok) {
          problem(r.error, p.attempt.terminalId, p.attempt.amountMinor);
          return;
        }
        replace(r.value);
        if (r.value.isFinal) await afterFinal(r.value);
      },
      async recordManually(input) {
        const p = get().payment;
        if (!p) return null;
        const manual = { outcome: input.outcome, note: input.note.trim() };
        // Set before the call: the core's progress event can arrive before its answer.
        set({ paymentBusy: true, payment: { ...p, manual } });
        const r = await till['payments:record-manually']({
          attemptId: p.attempt.id,
          outcome: input.outcome,
          note: input.note,
          approval: { pin: input.managerPin },
        });
        set({ paymentBusy: false });
        const current = get().payment;
        if (!r.ok) {
          if (current?.attempt.id === p.attempt.id) set({ payment: { ...current, manual: null } });
          return pinError(r.error, 'That manager PIN is not right: nothing was recorded');
        }
        replace(r.value);
        await afterFinal(r.value);
        return null;
      },
      async retrySale() {
        const p = get().payment;
        if (!p || p.attempt.kind !== 'sale') return;
        await get().startCardSale(p.attempt.amountMinor, p.attempt.terminalId);
      },
      async closePayment() {
        const p = get().payment;
        set({ payment: null, paymentProblem: null });
        if (p?.attempt.kind === 'sale') await get().refreshOrder();
        if (p) await Promise.all([get().refreshSelectedOrder(), get().loadToCheck()]);
      },
      clearPaymentProblem: () => set({ paymentProblem: null }),
      toCheck: [],
      toCheckOpen: false,
      async loadToCheck() {
        const r = await till['payments:list-to-check']();
        if (r.ok) set({ toCheck: r.value });
      },
      async openToCheck() {
        set({ toCheckOpen: true });
        await get().loadToCheck();
      },
      closeToCheck: () => set({ toCheckOpen: false }),
      dismissRecordOnOpen() {
        const p = get().payment;
        if (p?.recordOnOpen) set({ payment: { ...p, recordOnOpen: false } });
      },
      async openAttempt(attemptId, action) {
        const r = await till['payments:get']({ attemptId });
        if (!r.ok) {
          get().say('error', r.error.message);
          return;
        }
        // One modal at a time: the list closes while the payment dialog is open.
        set({ toCheckOpen: false });
        show(r.value, action === 'record' && r.value.state.kind === 'unconfirmed');
        if (action === 'check' && r.value.state.kind === 'unconfirmed') await get().checkAgain();
      },
    };
  };
