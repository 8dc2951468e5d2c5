/**
 * Plain words for the terminal's notification types, written for the cashier (what to tell the
 * customer). The set is open: anything unknown is shown generically, never an error.
 */
const words: Record<string, string> = {
  PresentCard: 'Ask the customer to tap, insert or swipe their card',
  InsertCard: 'Ask the customer to insert their card',
  PresentOnlyOneCard: 'More than one card was presented: ask the customer to present only one card',
  EnterPin: 'The customer is entering their PIN',
  PleaseWait: 'Please wait — the terminal is processing',
  RemoveCard: 'Ask the customer to remove their card',
  Approved: 'Approved',
  Declined: 'The card was declined',
  CardError: 'The card could not be read: ask the customer to try again',
  ReEnterCard: 'Ask the customer to present their card again',
  CardUnsupported: 'This card is not accepted: ask for another card',
};

export function promptWords(type: string | null): string | null {
  if (!type) return null;
  return words[type] ?? `The terminal says: ${type.replace(/([a-z])([A-Z])/g, '$1 $2')}`;
}

export function isKnownPrompt(type: string): boolean {
  return type in words;
}
