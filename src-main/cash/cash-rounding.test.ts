import { describe, expect, it } from 'vitest';
import {
  cashDue,
  cashRoundingProblem,
  cashRoundingStep,
} from '../../src-shared/domain/cash-rounding';

describe('cash rounding', () => {
  it('rounds a settling euro amount to the nearest 5 cents, by its last digit', () => {
    const step = cashRoundingStep('EUR', '0.05');
    expect(step).toBe(5);
    const due = [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009].map(
      (a) => cashDue(a, a, step).dueMinor,
    );
    expect(due).toEqual([1000, 1000, 1000, 1005, 1005, 1005, 1005, 1005, 1010, 1010]);
    expect(cashDue(1003, 1003, step)).toEqual({ dueMinor: 1005, roundingMinor: 2 });
    expect(cashDue(2, 2, step)).toEqual({ dueMinor: 0, roundingMinor: -2 });
  });

  it('leaves a part payment, a pound till and a till without rounding exact', () => {
    expect(cashDue(501, 1004, 5)).toEqual({ dueMinor: 501, roundingMinor: 0 });
    expect(cashRoundingStep('GBP', '0.05')).toBe(0);
    expect(cashRoundingStep('EUR', 'none')).toBe(0);
    expect(cashDue(1003, 1003, 0)).toEqual({ dueMinor: 1003, roundingMinor: 0 });
    expect(cashRoundingProblem('GBP', '0.05')).toMatch(/for euro tills/);
    expect(cashRoundingProblem('GBP', 'none')).toBeNull();
    expect(cashRoundingProblem('EUR', '0.05')).toBeNull();
  });
});
