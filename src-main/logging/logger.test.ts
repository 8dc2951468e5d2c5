import { describe, expect, it } from 'vitest';
import { createLogger, memorySink } from './logger';

describe('logger', () => {
  it('never writes a Dojo key, an Authorization header or a full card number', () => {
    const sink = memorySink();
    const log = createLogger([sink], 'payments');
    log.info('calling Dojo with sk_prod_abcdefghijklmnop', {
      headers: { Authorization: 'Basic sk_sandbox_secretsecret', version: '2026-02-27' },
      card: '4111 1111 1111 1111',
      masked: '************1111',
      managerPin: '1234',
    });
    const text = JSON.stringify(sink.records);
    expect(text).not.toContain('abcdefghijklmnop');
    expect(text).not.toContain('secretsecret');
    expect(text).not.toContain('4111 1111 1111 1111');
    expect(text).not.toContain('1234');
    expect(text).toContain('************1111');
    expect(text).toContain('2026-02-27');
    expect(sink.records[0]?.tag).toBe('payments');
  });
});
