import { describe, expect, it } from 'vitest';
import type { DojoPaymentIntent } from '../dojo/dojo-schemas';
import { tipOfIntent } from './tips.repo';

const intent = (over: Partial<DojoPaymentIntent>): DojoPaymentIntent => ({
  id: 'pi_1',
  status: 'Captured',
  terminalSessionHistory: [],
  ...over,
});
const gbp = (value: number) => ({ value, currencyCode: 'GBP' });

describe('the tip on a captured intent', () => {
  it('is tipsAmount when Dojo names it', () => {
    expect(
      tipOfIntent(
        intent({ amount: gbp(1000), tipsAmount: gbp(150), totalAmount: gbp(1150) }),
        1000,
      ),
    ).toBe(150);
  });
  it('is what totalAmount holds above the sale when Dojo names no tip', () => {
    expect(tipOfIntent(intent({ amount: gbp(1000), totalAmount: gbp(1120) }), 1000)).toBe(120);
    expect(tipOfIntent(intent({ totalAmount: gbp(1120) }), 1000)).toBe(120);
  });
  it('is zero with no tip, a zero tip, or a total not above the sale', () => {
    expect(tipOfIntent(intent({ amount: gbp(1000), totalAmount: gbp(1000) }), 1000)).toBe(0);
    expect(tipOfIntent(intent({ tipsAmount: gbp(0), totalAmount: gbp(1000) }), 1000)).toBe(0);
    expect(tipOfIntent(intent({ amount: gbp(1000), totalAmount: gbp(900) }), 1000)).toBe(0);
    expect(tipOfIntent(intent({}), 1000)).toBe(0);
  });
});
