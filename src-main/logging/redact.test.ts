import { describe, expect, it } from 'vitest';
import { maskCardNumbers, redactText } from './redact';

describe('maskCardNumbers (Dojo receipt lines)', () => {
  it('keeps only the last four digits of any 12–19 digit run, separators kept', () => {
    expect(maskCardNumbers('CARD: 4111111111111111')).toBe('CARD: ************1111');
    expect(maskCardNumbers('4111 1111 1111 1111')).toBe('**** **** **** 1111');
    expect(maskCardNumbers('PAN675900000000')).toBe('PAN********0000');
    expect(maskCardNumbers('6759000000000000005')).toBe('***************0005');
  });

  it('leaves short numbers, masked PANs and the application id alone', () => {
    for (const line of [
      'AID: A0000000031010',
      'TID: 12345678',
      '************1111',
      'AUTH CODE: 123456',
      '01/12/2026 23:15:02',
      'AMOUNT £12.50',
    ])
      expect(maskCardNumbers(line)).toBe(line);
  });
});

describe('redactText', () => {
  it('removes the configured key even when it does not look like sk_…', () => {
    expect(redactText('echo: weird-key-0123456789', ['weird-key-0123456789'])).toBe(
      'echo: [redacted]',
    );
  });
});
