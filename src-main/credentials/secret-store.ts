import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where the Dojo key rests. Implementations never log or return it anywhere but main. */
export type SecretStore = {
  readonly kind: 'safe-storage' | 'file' | 'memory';
  read(): string | null;
  write(secret: string): void;
  clear(): void;
};

/** Browser mode / headless: a 0600 file in the data directory. */
export function fileSecretStore(file: string): SecretStore {
  return {
    kind: 'file',
    read: () => (existsSync(file) ? readFileSync(file, 'utf8').trim() || null : null),
    write(secret) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, secret, { mode: 0o600 });
      chmodSync(file, 0o600);
    },
    clear: () => rmSync(file, { force: true }),
  };
}

/** The slice of Electron's `safeStorage` this store needs (injected so it is testable in Node). */
export type Encryptor = {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
};

/** Desktop: encrypted at rest with the OS keychain through Electron's safeStorage. */
export function encryptedFileSecretStore(file: string, encryptor: Encryptor): SecretStore {
  return {
    kind: 'safe-storage',
    read() {
      if (!existsSync(file)) return null;
      if (!encryptor.isEncryptionAvailable()) return null;
      return encryptor.decryptString(readFileSync(file)) || null;
    },
    write(secret) {
      if (!encryptor.isEncryptionAvailable()) {
        throw new Error(
          'The operating system keychain is not available, so the key cannot be stored safely.',
        );
      }
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, encryptor.encryptString(secret), { mode: 0o600 });
    },
    clear: () => rmSync(file, { force: true }),
  };
}

export function memorySecretStore(initial: string | null = null): SecretStore {
  let value = initial;
  return {
    kind: 'memory',
    read: () => value,
    write: (s) => void (value = s),
    clear: () => void (value = null),
  };
}
