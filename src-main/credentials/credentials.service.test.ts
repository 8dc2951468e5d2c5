import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCredentialsService } from './credentials.service';
import { encryptedFileSecretStore, fileSecretStore, memorySecretStore } from './secret-store';
import { tempDir } from '../../tests/support/temp-dir';

describe('credentials', () => {
  it('starts in training mode and reports only configured/environment', () => {
    const creds = createCredentialsService(memorySecretStore(), {});
    expect(creds.status()).toEqual({ configured: false, environment: 'training' });
    expect(creds.set('sk_sandbox_example_abc123')).toEqual({
      configured: true,
      environment: 'sandbox',
    });
    expect(creds.set('sk_prod_example_abc123')).toEqual({
      configured: true,
      environment: 'production',
    });
    expect(creds.clear()).toEqual({ configured: false, environment: 'training' });
  });

  it('refuses a malformed key with a message naming the expected form, keeping the old key', () => {
    const creds = createCredentialsService(memorySecretStore('sk_sandbox_existing123'), {});
    expect(() => creds.set('pk_sandbox_123456789')).toThrow(/sk_sandbox_ or sk_prod_/);
    // A key that starts right but is wrong inside says what is wrong, not how keys start.
    expect(() => creds.set('sk_sandbox_ has spaces')).toThrow(
      /The key has a space or line break in it \(character 12\)/,
    );
    expect(() => creds.set('sk_sandbox_abc+def12345')).toThrow(
      /a character a Dojo key never has \(character 15\)/,
    );
    expect(() => creds.set('sk_prod_short')).toThrow(/too short: after sk_prod_/);
    expect(creds.apiKey()).toBe('sk_sandbox_existing123');
  });

  it('lets the environment win and refuses to overwrite it from the UI', () => {
    const creds = createCredentialsService(memorySecretStore('sk_sandbox_stored12345'), {
      OPENTILL_DOJO_API_KEY: 'sk_prod_from_env_12345',
    });
    expect(creds.apiKey()).toBe('sk_prod_from_env_12345');
    expect(() => creds.set('sk_sandbox_another1234')).toThrow(/OPENTILL_DOJO_API_KEY/);
  });

  it('keeps the browser-mode key in a 0600 file', () => {
    const dir = tempDir();
    const file = join(dir.path, 'key');
    const creds = createCredentialsService(fileSecretStore(file), {});
    creds.set('sk_sandbox_example_file1');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(createCredentialsService(fileSecretStore(file), {}).apiKey()).toBe(
      'sk_sandbox_example_file1',
    );
    dir.remove();
  });

  it('stores the desktop key encrypted (never in clear) through safeStorage', () => {
    const dir = tempDir();
    const file = join(dir.path, 'key.enc');
    const encryptor = {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
      decryptString: (b: Buffer) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
    };
    const creds = createCredentialsService(encryptedFileSecretStore(file, encryptor), {});
    creds.set('sk_sandbox_example_desk1');
    const raw = readFileSync(file).toString('latin1');
    expect(raw).not.toContain('sk_sandbox_example_desk1');
    expect(creds.apiKey()).toBe('sk_sandbox_example_desk1');
    const unavailable = encryptedFileSecretStore(file, {
      ...encryptor,
      isEncryptionAvailable: () => false,
    });
    expect(() => unavailable.write('sk_sandbox_x12345678')).toThrow(/keychain/);
    dir.remove();
  });
});
