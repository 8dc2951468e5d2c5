import type { StateCreator } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type { DayClosure, EndOfDayReport } from '../../src-shared/contract/printing.contract';
import type { TillState } from './store';
import type { CashCount } from '../../src-shared/domain/cash';

export type ReportsSlice = {
  /** The open day so far (an X report): everything since the last close. */
  dayReport: EndOfDayReport | null;
  dayReportError: string | null;
  dayReportBusy: boolean;
  /** The close made from this screen, kept so its Z report can be seen and printed again. */
  lastClosure: DayClosure | null;
  loadDayReport: () => Promise<void>;
  /** Closes the day (the operator has confirmed); returns an error in plain words, or null. */
  closeDay: (count?: CashCount) => Promise<string | null>;
  showZReport: () => void;
  printXReport: () => Promise<void>;
  reprintZReport: () => Promise<void>;
};

export const createReportsSlice =
  (till: TillApi): StateCreator<TillState, [], [], ReportsSlice> =>
  (set, get) => ({
    dayReport: null,
    dayReportError: null,
    dayReportBusy: false,
    lastClosure: null,
    async loadDayReport() {
      set({ dayReportBusy: true });
      const r = await till['reports:end-of-day']();
      if (r.ok) set({ dayReport: r.value, dayReportError: null, dayReportBusy: false });
      else set({ dayReportError: r.error.message, dayReportBusy: false });
    },
    async closeDay(count) {
      set({ dayReportBusy: true });
      const r = await get().withApproval((approval) =>
        till['reports:close-day']({
          confirm: true,
          ...(count ? { count } : {}),
          ...(approval ? { approval } : {}),
        }),
      );
      if (!r.ok) {
        set({ dayReportBusy: false });
        return r.error.message;
      }
      set({ lastClosure: r.value });
      const printed = r.value.job
        ? r.value.job.status === 'failed'
          ? 'the Z report could not be printed'
          : 'Z report sent to the printer'
        : 'no printer is set, so nothing was printed';
      get().say('ok', `Day closed: counters reset, ${printed}`);
      await get().loadDayReport();
      void get().loadDay();
      void get().loadDojoChecks();
      return null;
    },
    async printXReport() {
      set({ dayReportBusy: true });
      const r = await till['reports:print-x']();
      set({ dayReportBusy: false });
      if (!r.ok) get().say('error', r.error.message);
      else if (r.value.status === 'failed')
        get().say(
          'error',
          `The X report could not be printed: ${r.value.lastError ?? 'printer problem'}`,
        );
      else get().say('ok', 'X report sent to the printer');
    },
    showZReport() {
      const closure = get().lastClosure;
      if (closure)
        set({
          preview: {
            title: closure.document.title,
            data: { document: closure.document, columns: closure.columns },
          },
        });
    },
    async reprintZReport() {
      const job = get().lastClosure?.job;
      if (!job) return;
      const r = await till['printing:reprint']({ jobId: job.id });
      if (!r.ok) get().say('error', r.error.message);
      else if (r.value.status === 'failed')
        get().say('error', `Reprint failed: ${r.value.lastError ?? 'printer problem'}`);
      else get().say('ok', 'Z report sent to the printer again');
    },
  });
