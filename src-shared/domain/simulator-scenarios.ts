import { z } from 'zod';

/**
 * What the built-in Dojo simulator does with a terminal session. In training mode the scenario is
 * picked from the last two digits of the amount (the pence), so a person can try every path from
 * the till; tests can also force one through the simulator's control API.
 */
export const simulatorScenarioIds = [
  'chip-pin',
  'contactless',
  'declined',
  'signature',
  'no-card-expires',
  'terminal-offline',
  'unknown-notification',
  'card-error-retry',
  'slow-pin',
  'signature-after-capture',
] as const;

export const simulatorScenarioIdSchema = z.enum(simulatorScenarioIds);
export type SimulatorScenarioId = z.infer<typeof simulatorScenarioIdSchema>;

export type SimulatorScenarioTip = {
  /** The amount's pence (value % 100) that selects the scenario; null for the default. */
  pence: number | null;
  scenario: SimulatorScenarioId;
  /** Short label for a training-tips list. */
  title: string;
  /** What the cashier will see, in plain words. */
  whatHappens: string;
};

/** The amount convention, as pure data so the UI can show "training tips". */
export const simulatorScenarioTable: readonly SimulatorScenarioTip[] = [
  {
    pence: null,
    scenario: 'chip-pin',
    title: 'Chip and PIN (any other amount)',
    whatHappens: 'Card inserted, PIN entered, payment approved after about 8 seconds.',
  },
  {
    pence: 1,
    scenario: 'declined',
    title: 'Declined (amount ending .01)',
    whatHappens: 'The card is declined. The same payment can be tried again.',
  },
  {
    pence: 2,
    scenario: 'signature',
    title: 'Signature check (amount ending .02)',
    whatHappens:
      'The terminal asks the cashier to check the signature: accept it or reject it (rejecting reverses the payment). With no answer it is accepted after 80 seconds.',
  },
  {
    pence: 3,
    scenario: 'contactless',
    title: 'Contactless (amount ending .03)',
    whatHappens: 'Card tapped, approved after about 4 seconds.',
  },
  {
    pence: 4,
    scenario: 'no-card-expires',
    title: 'Customer walks away (amount ending .04)',
    whatHappens:
      'The terminal waits for a card that never comes; cancel it, or after 90 seconds the session expires and the payment is not taken.',
  },
  {
    pence: 5,
    scenario: 'terminal-offline',
    title: 'Terminal loses its connection (amount ending .05)',
    whatHappens:
      'The terminal goes offline while the customer is paying. The session expires, but the payment did go through: the till must check it.',
  },
  {
    pence: 6,
    scenario: 'unknown-notification',
    title: 'Unexpected terminal message (amount ending .06)',
    whatHappens:
      'The terminal shows a message the till does not know (TerminalRebooting), then the payment is approved.',
  },
  {
    pence: 7,
    scenario: 'card-error-retry',
    title: 'Card read error, then retry (amount ending .07)',
    whatHappens:
      'The first card read fails, the customer inserts the card again and the payment is approved.',
  },
  {
    pence: 8,
    scenario: 'slow-pin',
    title: 'Slow PIN entry (amount ending .08)',
    whatHappens:
      'The customer takes about 15 seconds over the PIN. Try cancelling: once the card is in, the terminal refuses.',
  },
  {
    pence: 9,
    scenario: 'signature-after-capture',
    title: 'Signature check after approval (amount ending .09)',
    whatHappens:
      'The terminal reports the payment captured, then asks for a signature check a moment later (1.5 seconds unless the simulator is told otherwise). The till says the payment went through and a signature check may follow, then shows Accept/Reject.',
  },
];

/** The scenario a session of this amount (minor units) runs when nothing is forced. */
export function scenarioForAmount(valueMinor: number): SimulatorScenarioId {
  const pence = Math.abs(Math.trunc(valueMinor)) % 100;
  const tip = simulatorScenarioTable.find((t) => t.pence === pence);
  return tip ? tip.scenario : 'chip-pin';
}
