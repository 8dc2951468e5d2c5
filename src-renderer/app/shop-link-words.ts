import type { ShopLinkStatus } from '../../src-shared/contract';

/** The shop link in plain words, for the status bar and Settings. */
export function shopLinkWords(state: ShopLinkStatus['state'], behind: number): string {
  switch (state) {
    case 'off':
      return 'Works alone (no shop database)';
    case 'connecting':
      return 'Shop: connecting…';
    case 'connected':
      return behind > 0
        ? `Shop: sending ${behind} change${behind === 1 ? '' : 's'}`
        : 'Shop: up to date';
    case 'unreachable':
      return `Shop unreachable${behind > 0 ? ` · ${behind} change${behind === 1 ? '' : 's'} to send` : ''}`;
    case 'refused':
      return 'Shop refused this till';
  }
}

/**
 * What a joined till's manager can and cannot change while the link is in this state: the
 * catalogue, staff and receipt details are the shop's, so their edits are refused (nothing
 * saved) when the shop database cannot be reached or refuses the till. Null when there is
 * nothing to say.
 */
export function shopEditsWords(state: ShopLinkStatus['state']): string | null {
  switch (state) {
    case 'off':
      return null;
    case 'connecting':
    case 'connected':
      return 'This till uses the shop’s catalogue, staff and receipt details: a manager’s changes here go to the shop database and reach every till.';
    case 'unreachable':
    case 'refused':
      return 'Changes to the catalogue, staff and the shop’s receipt details are refused (nothing is saved) until the shop database is back; selling and signing in go on with this till’s copy.';
  }
}
