import { describe, expect, it } from 'vitest';
import { shareOf, type SoldLine } from './returns.repo';

const line = (over: Partial<SoldLine>): SoldLine => ({
  position: 1,
  name: 'Mug',
  sold: 3,
  returned: 0,
  returnable: 3,
  lineTotalMinor: 1000,
  vatRateBp: 2000,
  vatMinor: 167,
  returnedMinor: 0,
  returnedVatMinor: 0,
  ...over,
});

/** Returns `quantities` of a line one after another, as the till would, and lists their shares. */
function returnInTurn(start: SoldLine, quantities: number[]) {
  let l = start;
  return quantities.map((q) => {
    const s = shareOf(l, q);
    l = {
      ...l,
      returned: l.returned + q,
      returnable: l.returnable - q,
      returnedMinor: l.returnedMinor + s.amountMinor,
      returnedVatMinor: l.returnedVatMinor + s.vatMinor,
    };
    return s;
  });
}

describe('what returned units are worth', () => {
  it('splits a discounted line over its units so the returns add up to exactly what was paid, VAT too', () => {
    const shares = returnInTurn(line({}), [1, 1, 1]);
    expect(shares.map((s) => s.amountMinor)).toEqual([333, 334, 333]);
    expect(shares.reduce((a, s) => a + s.amountMinor, 0)).toBe(1000);
    expect(shares.reduce((a, s) => a + s.vatMinor, 0)).toBe(167);
  });

  it('gives the same total whatever the order of partial returns', () => {
    const l = line({ sold: 7, returnable: 7, lineTotalMinor: 1999, vatMinor: 333 });
    for (const split of [[7], [1, 6], [3, 3, 1], [2, 2, 2, 1]]) {
      const shares = returnInTurn(l, split);
      expect([split, shares.reduce((a, s) => a + s.amountMinor, 0)]).toEqual([split, 1999]);
      expect([split, shares.reduce((a, s) => a + s.vatMinor, 0)]).toEqual([split, 333]);
    }
  });

  it('a free line (100 % off) gives nothing back', () => {
    expect(shareOf(line({ lineTotalMinor: 0, vatMinor: 0 }), 2)).toEqual({
      amountMinor: 0,
      vatMinor: 0,
    });
  });
});
