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
