import type { StateCreator } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type { CashCount, CashMovement, CashSummary, TillDay } from '../../src-shared/domain/cash';
import type { DojoCheck } from '../../src-shared/domain/dojo-check';
import type { Approval, StaffMember, StaffRole, StaffSession } from '../../src-shared/domain/staff';
import type { ErrorShape, Result } from '../../src-shared/errors';
import { requestKeysFor } from '../lib/request-key';
import type { TillState } from './store';

/** An action waiting for a supervisor's or manager's PIN (an override). */
export type ApprovalRequest = { reason: string; resolve: (approval: Approval | null) => void };

export type StaffSlice = {
  session: StaffSession | null;
  signInError: ErrorShape | null;
  staffList: StaffMember[];
  approvalRequest: ApprovalRequest | null;
  day: TillDay | null;
  cash: CashSummary | null;
  dojoChecks: DojoCheck[];
  loadSession: () => Promise<void>;
  setSession: (session: StaffSession) => void;
  signIn: (pin: string) => Promise<boolean>;
  signOut: () => Promise<void>;
  signInDemo: () => Promise<void>;
  createFirstManager: (name: string, pin: string) => Promise<string | null>;
  loadStaff: () => Promise<void>;
  addStaff: (input: { name: string; role: StaffRole; pin: string }) => Promise<string | null>;
  updateStaff: (input: {
    id: string;
    role?: StaffRole;
    active?: boolean;
  }) => Promise<string | null>;
  resetStaffPin: (id: string, pin: string) => Promise<string | null>;
  /**
   * Runs a call; when the core says the person signed in may not, asks for a supervisor's or
   * manager's PIN on the same screen and runs it once more with that approval.
   */
  withApproval: <T>(call: (approval?: Approval) => Promise<Result<T>>) => Promise<Result<T>>;
  answerApproval: (approval: Approval | null) => void;
  loadDay: () => Promise<void>;
  openDay: (float: CashCount) => Promise<string | null>;
  payInOut: (m: {
    direction: 'in' | 'out';
    amountMinor: number;
    reason: string;
    note?: string;
  }) => Promise<string | null>;
  noSale: () => Promise<string | null>;
  loadDojoChecks: () => Promise<void>;
  runDojoCheck: (closureId: string, print: boolean) => Promise<void>;
};

const problem = <T>(r: Result<T>): string | null => (r.ok ? null : r.error.message);

export const createStaffSlice =
  (till: TillApi): StateCreator<TillState, [], [], StaffSlice> =>
  (set, get) => ({
    session: null,
    signInError: null,
    staffList: [],
    approvalRequest: null,
    day: null,
    cash: null,
    dojoChecks: [],
    async loadSession() {
      const r = await till['staff:session']();
      if (r.ok) get().setSession(r.value);
    },
    setSession(session) {
      const before = get().session?.staff?.id ?? null;
      set({ session });
      // Someone new signed in: what they may see is reloaded for them.
      if (session.staff && session.staff.id !== before) {
        void get().loadDay();
        void get().loadSettings();
        // Loaded at start only if someone was signed in then.
        if (before === null) {
          void get().loadCatalogue();
          void get().loadParked();
          void get().loadAwaitingCard();
          void get().loadTerminals();
        }
      }
    },
    async signIn(pin) {
      const r = await till['staff:sign-in']({ pin });
      if (!r.ok) {
        set({ signInError: r.error });
        void get().loadSession();
        return false;
      }
      set({ signInError: null });
      get().setSession(r.value);
      return true;
    },
    async signOut() {
      const r = await till['staff:sign-out']();
      if (r.ok) get().setSession(r.value);
    },
    async signInDemo() {
      const r = await till['staff:demo-sign-in']();
      if (r.ok) get().setSession(r.value);
      else set({ signInError: r.error });
    },
    async createFirstManager(name, pin) {
      const r = await till['staff:first-manager']({ name, pin });
      if (r.ok) get().setSession(r.value);
      return problem(r);
    },
    async loadStaff() {
      const r = await till['staff:list']();
      if (r.ok) set({ staffList: r.value });
    },
    async addStaff(input) {
      const r = await get().withApproval((approval) =>
        till['staff:create']({ ...input, ...(approval ? { approval } : {}) }),
      );
      if (r.ok) await get().loadStaff();
      return problem(r);
    },
    async updateStaff(input) {
      const r = await get().withApproval((approval) =>
        till['staff:update']({ ...input, ...(approval ? { approval } : {}) }),
      );
      if (r.ok) await get().loadStaff();
      return problem(r);
    },
    async resetStaffPin(id, pin) {
      const r = await get().withApproval((approval) =>
        till['staff:reset-pin']({ id, pin, ...(approval ? { approval } : {}) }),
      );
      return problem(r);
    },
    async withApproval(call) {
      const first = await call();
      if (first.ok || first.error.code !== 'PERMISSION_DENIED') return first;
      let last = first;
      // Asked again after a wrong PIN or a refusal, until the person cancels.
      for (;;) {
        const approval = await new Promise<Approval | null>((resolve) =>
          set({ approvalRequest: { reason: last.ok ? '' : last.error.message, resolve } }),
        );
        set({ approvalRequest: null });
        if (!approval) return first;
        const again = await call(approval);
        if (again.ok) return again;
        if (!['PERMISSION_DENIED', 'MANAGER_PIN_INVALID'].includes(again.error.code)) return again;
        last = again;
      }
    },
    answerApproval(approval) {
      get().approvalRequest?.resolve(approval);
    },
    async loadDay() {
      const r = await till['day:get']();
      if (r.ok) set({ day: r.value });
      const c = await till['cash:summary']();
      set({ cash: c.ok ? c.value : null });
    },
    async openDay(float) {
      const r = await get().withApproval((approval) =>
        till['day:open']({ float, ...(approval ? { approval } : {}) }),
      );
      if (r.ok) {
        get().say('ok', 'Till day opened with the float');
        await get().loadDay();
      }
      return problem(r);
    },
    async payInOut(m) {
      // Money leaves or enters the drawer: a double press sends the same key, recorded once.
      const r = await requestKeysFor(till).press(`drawer-pay:${m.direction}`, (idempotencyKey) =>
        get().withApproval((approval) =>
          till['drawer:pay']({
            movement: m as Parameters<TillApi['drawer:pay']>[0]['movement'],
            idempotencyKey,
            ...(approval ? { approval } : {}),
          }),
        ),
      );
      if (r.ok) {
        get().say('ok', m.direction === 'in' ? 'Pay-in recorded' : 'Pay-out recorded');
        await get().loadDay();
      }
      return problem(r);
    },
    async noSale() {
      const r = await get().withApproval<CashMovement>((approval) =>
        till['drawer:no-sale']({ ...(approval ? { approval } : {}) }),
      );
      if (r.ok) {
        get().say('ok', 'Drawer opened (no sale), journalled');
        await get().loadDay();
      }
      return problem(r);
    },
    async loadDojoChecks() {
      const r = await till['reports:dojo-checks']();
      if (r.ok) set({ dojoChecks: r.value });
    },
    async runDojoCheck(closureId, print) {
      const r = await till['reports:run-dojo-check']({ closureId, print });
      if (!r.ok) get().say('error', r.error.message);
      else
        get().say(
          r.value.status === 'completed' ? 'ok' : 'error',
          r.value.status === 'completed'
            ? print
              ? 'Card check with Dojo sent to the printer'
              : 'Card check with Dojo completed'
            : `Still pending: ${r.value.lastError ?? 'Dojo could not be reached'}`,
        );
      await get().loadDojoChecks();
    },
  });
