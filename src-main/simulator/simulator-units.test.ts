import { describe, expect, it } from 'vitest';
import {
  scenarioForAmount,
  simulatorScenarioIds,
  simulatorScenarioTable,
} from '../../src-shared/domain/simulator-scenarios';
import { FaultBook } from './faults';
import { buildReceipt } from './receipts';
import { scriptFor } from './scenario-scripts';

describe('amount convention', () => {
  it('maps pence to scenarios and everything else to chip and PIN', () => {
    expect(scenarioForAmount(1001)).toBe('declined');
    expect(scenarioForAmount(2)).toBe('signature');
    expect(scenarioForAmount(503)).toBe('contactless');
    expect(scenarioForAmount(1000)).toBe('chip-pin');
    expect(scenarioForAmount(1099)).toBe('chip-pin');
    expect(scenarioForAmount(-101)).toBe('declined');
  });

  it('lists every scenario exactly once, with distinct pence', () => {
    expect(simulatorScenarioTable.map((t) => t.scenario).sort()).toEqual(
      [...simulatorScenarioIds].sort(),
    );
    const pence = simulatorScenarioTable.map((t) => t.pence);
    expect(new Set(pence).size).toBe(pence.length);
  });

  it('takes a realistic 6–8 s for a chip-and-PIN sale and ~4 s contactless', () => {
    const total = (id: Parameters<typeof scriptFor>[0]) =>
      scriptFor(id, 'Sale').reduce((sum, step) => sum + step.after, 0);
    expect(total('chip-pin')).toBeGreaterThanOrEqual(6000);
    expect(total('chip-pin')).toBeLessThanOrEqual(8000);
    expect(total('contactless')).toBeLessThan(5000);
    expect(scriptFor('signature', 'MatchedRefund')).toEqual(scriptFor('chip-pin', 'Sale'));
  });
});

describe('receipts', () => {
  const payment = {
    transactionId: 't',
    transactionDateTime: '2026-01-01T10:00:00.000Z',
    message: 'DEPOSITED',
    authCode: '123456',
    card: {
      cardNumber: '************1234',
      cardName: null,
      expiryDate: '12/29',
      cardType: 'VISA',
      cardFundingType: 'Debit',
      last4PAN: '1234',
      entryMode: 'ContactChip',
      verificationMethod: 'Pin',
    },
  };

  it('pads values to 24 columns and uses Dojo line types', () => {
    const r = buildReceipt({
      copy: 'CUSTOMER',
      tid: '28340001',
      sessionType: 'Sale',
      amount: { value: 1050, currencyCode: 'GBP' },
      payment,
      outcome: 'SUCCESSFUL',
    });
    const texts = r.lines.flatMap((l) => (l.lineType === 'Text' ? [l.text.value] : []));
    expect(texts).toContain('AMOUNT            £10.50');
    expect(texts.find((t) => t.startsWith('TOTAL'))).toHaveLength(24);
    expect(texts).toContain('TID:****0001            ');
    expect(texts.some((t) => t.includes('CUSTOMER COPY'))).toBe(true);
    expect(new Set(r.lines.map((l) => l.lineType))).toEqual(
      new Set(['LogoImage', 'Text', 'SingleLineSeperator', 'NewLine', 'DoubleLineSeperator']),
    );
    // Only the masked PAN (the AID is the scheme's application id, not a card number).
    expect(JSON.stringify(r).replace('A0000000031010', '')).not.toMatch(/\d{12}/);
  });
});

describe('fault book', () => {
  it('matches method and path patterns and counts down', () => {
    const book = new FaultBook();
    book.add({
      kind: 'http-error',
      path: '/terminal-sessions/*',
      method: 'get',
      status: 503,
      count: 2,
    });
    expect(book.take('PUT', '/terminal-sessions/ts_1')).toBeNull();
    expect(book.take('GET', '/terminal-sessions/ts_1/cancel')).toBeNull();
    expect(book.take('GET', '/terminal-sessions/ts_1')?.kind).toBe('http-error');
    expect(book.take('GET', '/terminal-sessions/ts_2')?.kind).toBe('http-error');
    expect(book.take('GET', '/terminal-sessions/ts_3')).toBeNull();
  });
});
