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
