import { describe, expect, it } from 'vitest';
import { parseDojoReceipt } from './dojo-receipt';

describe('parseDojoReceipt', () => {
  it('masks a full card number in a stored receipt before it is shown or printed', () => {
    const stored = JSON.stringify({
      lines: [
        { lineType: 'Text', text: { value: 'PAN 4111 1111 1111 1111' } },
        { lineType: 'Text', text: { value: 'AID: A0000000031010' } },
        { lineType: 'FutureLine', text: { value: 'ref5555555555554444' } },
      ],
    });
    const lines = parseDojoReceipt(stored) ?? [];
    expect(lines.map((l) => ('text' in l ? l.text : null))).toEqual([
      'PAN **** **** **** 1111',
      'AID: A0000000031010',
      'ref************4444',
    ]);
  });
});
