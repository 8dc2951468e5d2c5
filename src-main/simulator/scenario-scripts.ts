import type { SimulatorScenarioId } from '../../src-shared/domain/simulator-scenarios';
import type { TerminalSessionType } from './wire-types';

export type EntryMode = 'ContactChip' | 'Contactless';
export type Verification = 'Pin' | 'Signature' | 'None';

/**
 * One step of what the terminal does; `after` is the realistic delay in ms since the previous
 * step (scaled by timeScale when run).
 */
export type Step =
  | { after: number; kind: 'initiated' }
  | { after: number; kind: 'notify'; notification: string; cardPresented?: true }
  | { after: number; kind: 'approve'; entryMode: EntryMode; verification: Verification }
  | { after: number; kind: 'decline'; entryMode: EntryMode }
  | { after: number; kind: 'signature'; entryMode: EntryMode }
  /**
   * The session reports `Captured` (intent captured, card verified by signature) but the terminal
   * still wants the signature checked: Dojo's own example runs `Captured → SignatureVerification…`.
   */
  | { after: number; kind: 'capture-before-signature'; entryMode: EntryMode }
  /** `SignatureVerificationRequired` after `Captured`; `after` is the session's configured gap. */
  | { after: number; kind: 'late-signature' }
  /** The terminal completes the payment but loses its link before reporting it. */
  | { after: number; kind: 'offline'; entryMode: EntryMode; verification: Verification };

const n = (after: number, notification: string, cardPresented?: true): Step =>
  cardPresented
    ? { after, kind: 'notify', notification, cardPresented }
    : { after, kind: 'notify', notification };

/** PresentCard, card inserted, PIN entered: the common start of a chip sale. */
const chipStart = (pinMs: number): Step[] => [
  { after: 250, kind: 'initiated' },
  n(1000, 'PresentCard'),
  n(2500, 'PleaseWait', true),
  n(300, 'EnterPin'),
  n(pinMs, 'PleaseWait'),
  n(1000, 'RemoveCard'),
];

const SCRIPTS: Record<SimulatorScenarioId, Step[]> = {
  'chip-pin': [
    ...chipStart(2000),
    { after: 800, kind: 'approve', entryMode: 'ContactChip', verification: 'Pin' },
  ],
  contactless: [
    { after: 250, kind: 'initiated' },
    n(1000, 'PresentCard'),
    n(1500, 'PleaseWait', true),
    { after: 1200, kind: 'approve', entryMode: 'Contactless', verification: 'None' },
  ],
  declined: [...chipStart(2000), { after: 800, kind: 'decline', entryMode: 'ContactChip' }],
  signature: [
    { after: 250, kind: 'initiated' },
    n(1000, 'PresentCard'),
    n(2500, 'PleaseWait', true),
    n(1500, 'RemoveCard'),
    { after: 500, kind: 'signature', entryMode: 'ContactChip' },
  ],
  'no-card-expires': [{ after: 250, kind: 'initiated' }, n(1000, 'PresentCard')],
  'terminal-offline': [
    ...chipStart(2000).slice(0, 5),
    { after: 1000, kind: 'offline', entryMode: 'ContactChip', verification: 'Pin' },
  ],
  'unknown-notification': [
    { after: 250, kind: 'initiated' },
    n(1000, 'PresentCard'),
    n(800, 'TerminalRebooting'),
    n(1200, 'PresentCard'),
    n(1500, 'PleaseWait', true),
    n(300, 'EnterPin'),
    n(1500, 'PleaseWait'),
    n(800, 'RemoveCard'),
    { after: 600, kind: 'approve', entryMode: 'ContactChip', verification: 'Pin' },
  ],
  'card-error-retry': [
    { after: 250, kind: 'initiated' },
    n(1000, 'PresentCard'),
    n(1500, 'PleaseWait', true),
    n(700, 'CardError'),
    n(800, 'InsertCard'),
    n(1500, 'PleaseWait'),
    n(300, 'EnterPin'),
    n(1500, 'PleaseWait'),
    n(800, 'RemoveCard'),
    { after: 600, kind: 'approve', entryMode: 'ContactChip', verification: 'Pin' },
  ],
  'slow-pin': [
    ...chipStart(15_000),
    { after: 800, kind: 'approve', entryMode: 'ContactChip', verification: 'Pin' },
  ],
  'signature-after-capture': [
    { after: 250, kind: 'initiated' },
    n(1000, 'PresentCard'),
    n(1500, 'PleaseWait', true),
    n(1000, 'RemoveCard'),
    { after: 300, kind: 'capture-before-signature', entryMode: 'ContactChip' },
    // `after` is replaced by the session's own gap (the simulator's `signatureGapMs`).
    { after: 0, kind: 'late-signature' },
  ],
};

/** Refunds on a terminal have no signature step: that scenario refunds by chip and PIN. */
export function scriptFor(scenario: SimulatorScenarioId, sessionType: TerminalSessionType): Step[] {
  if (
    sessionType !== 'Sale' &&
    (scenario === 'signature' || scenario === 'signature-after-capture')
  )
    return SCRIPTS['chip-pin'];
  return SCRIPTS[scenario];
}

/** Realistic durations (ms) of the session's deadlines, scaled at run time. */
export const DEADLINES = {
  /** expireAt at creation: the terminal must pick the session up within 10 s. */
  pickUp: 10_000,
  /** expireAt once the terminal has the session (Dojo's examples: creation + 90 s). */
  session: 90_000,
  /** The cashier's time to answer a signature check; Dojo then accepts it. */
  signature: 80_000,
  /** Time from CancelRequested to Canceled. */
  cancel: 600,
} as const;
