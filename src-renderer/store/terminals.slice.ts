import type { StateCreator } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type { TerminalsStatus } from '../../src-shared/contract/payments.contract';
import type { TerminalInfo } from '../../src-shared/domain/payments';
import type { TillState } from './store';

export type TerminalsSlice = {
  terminals: TerminalInfo[];
  terminalsCheckedAt: string | null;
  terminalsError: string | null;
  /** The terminal this till sends card payments to (remembered as the till's default). */
  selectedTerminalId: string | null;
  loadTerminals: () => Promise<void>;
  setTerminalsStatus: (status: TerminalsStatus) => void;
  selectTerminal: (terminalId: string) => Promise<void>;
};

export const createTerminalsSlice =
  (till: TillApi): StateCreator<TillState, [], [], TerminalsSlice> =>
  (set, get) => {
    const pickSelected = (terminals: TerminalInfo[]) => {
      const current = get().selectedTerminalId;
      if (current && terminals.some((t) => t.id === current)) return current;
      const remembered =
        terminals.find((t) => t.isDefault)?.id ?? get().settings?.defaultTerminalId ?? current;
      // A fresh till with no default yet offers the first available terminal rather than none.
      return remembered ?? terminals.find((t) => t.status === 'Available')?.id ?? null;
    };
    return {
      terminals: [],
      terminalsCheckedAt: null,
      terminalsError: null,
      selectedTerminalId: null,
      async loadTerminals() {
        const r = await till['terminals:list']();
        if (r.ok)
          set({
            terminals: r.value,
            terminalsError: null,
            terminalsCheckedAt: new Date().toISOString(),
            selectedTerminalId: pickSelected(r.value),
          });
        else set({ terminalsError: r.error.message });
      },
      setTerminalsStatus(status) {
        set({
          terminals: status.terminals,
          terminalsCheckedAt: status.checkedAt,
          terminalsError: status.error,
          selectedTerminalId: pickSelected(status.terminals),
        });
      },
      async selectTerminal(terminalId) {
        set({ selectedTerminalId: terminalId });
        const r = await till['terminals:set-default']({ terminalId });
        if (!r.ok) get().say('error', r.error.message);
        else
          set({
            terminals: get().terminals.map((t) => ({ ...t, isDefault: t.id === terminalId })),
          });
      },
    };
  };

export function terminalLabel(t: TerminalInfo | undefined | null): string {
  return t ? `TID ${t.tid}` : 'No terminal';
}

export const statusWords: Record<string, string> = {
  Available: 'Available',
  InUse: 'In use',
  Offline: 'Offline',
};
