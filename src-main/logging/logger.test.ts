import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, fileSink, memorySink } from './logger';
import { tempDir } from '../../tests/support/temp-dir';

describe('logger', () => {
  it('never writes a Dojo key, an Authorization header or a full card number', () => {
    const sink = memorySink();
    const log = createLogger([sink], 'payments');
    log.info('calling Dojo with sk_prod_example_abcdefghijklmnop', {
      headers: { Authorization: 'Basic sk_sandbox_test_secretsecret', version: '2026-02-27' },
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

describe('log redaction closes what a probe of the till found', () => {
  const logged = (fields: Record<string, unknown>, message = 'probe') => {
    const sink = memorySink();
    createLogger([sink]).warn(message, fields);
    return JSON.stringify(sink.records);
  };

  it('redacts a key and a card number nested far deeper than six levels', () => {
    let deep: Record<string, unknown> = {
      key: 'sk_prod_deep_secret_deep_secret',
      pan: '4111111111111111',
    };
    for (let i = 0; i < 12; i++) deep = { inner: deep };
    const text = logged({ deep });
    expect(text).not.toContain('deep_secret');
    expect(text).not.toContain('4111111111111111');
  });

  it('redacts upper-case SK_ keys and any sk_ token, in messages and field values', () => {
    const text = logged(
      { header: 'Basic SK_PROD_UPPERSECRET123', other: 'key=sk_live_othersecret99' },
      'got SK_SANDBOX_SHOUTEDSECRET',
    );
    expect(text).not.toContain('UPPERSECRET');
    expect(text).not.toContain('SHOUTEDSECRET');
    expect(text).not.toContain('othersecret99');
    // An ordinary word that merely contains "sk_" survives.
    expect(logged({ job: 'task_list' })).toContain('task_list');
  });

  it('redacts card numbers glued to letters or underscores, 12 to 19 digits', () => {
    const text = logged({
      a: 'card4111111111111111',
      b: 'pan_5555555555554444_end',
      c: 'maestro675900000000x',
      d: 'x4111-1111-1111-1111y',
    });
    for (const pan of ['4111111111111111', '5555555555554444', '675900000000', '1111-1111-1111'])
      expect(text).not.toContain(pan);
    expect(text).toContain('card[card number redacted]');
    // Short numbers (amounts, PIN-pad counts, masked PANs) are kept.
    expect(logged({ amount: '12345678901', masked: '************1111' })).toContain('12345678901');
  });
});

describe('file sink', () => {
  it('rotates at the size limit and keeps a bounded number of old files', () => {
    const dir = tempDir();
    const file = join(dir.path, 'logs', 'opentill.log');
    const log = createLogger([fileSink(file, { maxBytes: 2000, keep: 2 })], 'test');
    for (let i = 0; i < 100; i++) log.info(`line ${i}`, { padding: 'x'.repeat(50) });
    expect(statSync(file).size).toBeLessThanOrEqual(2000);
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(existsSync(`${file}.2`)).toBe(true);
    expect(existsSync(`${file}.3`)).toBe(false);
    const last = readFileSync(file, 'utf8').trim().split('\n').at(-1) ?? '{}';
    expect((JSON.parse(last) as { message: string }).message).toBe('line 99');
    dir.remove();
  });
});
