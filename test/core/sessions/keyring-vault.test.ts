import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSealed, keyringAccount, keyringCipher, keyringService, openHeadlessVault, type KeyringAccess } from '../../../core/sessions/keyring-vault.ts';
import { silentLogger } from '../../../core/log.ts';

// The sealed store's cipher and the choice of vault, with keyrings that answer, refuse or are
// turned off (the real Secret Service is in test/keyring/).

const key = Buffer.alloc(32, 7);

/** A keyring in memory; `fails` makes it answer as a locked or missing one does. */
function memoryKeyring(fails = false): KeyringAccess & { items: Map<string, string> } {
  const items = new Map<string, string>();
  const check = (): void => {
    if (fails) throw new Error('Couldn\'t access platform storage: locked');
  };
  return {
    items,
    get: (service, account) => (check(), items.get(`${service}/${account}`) ?? null),
    set: (service, account, secret) => (check(), void items.set(`${service}/${account}`, secret)),
    delete: (service, account) => (check(), items.delete(`${service}/${account}`)),
  };
}

describe('the keyring cipher (AES-256-GCM)', () => {
  it('seals and opens; a changed byte or another key is refused; a plaintext store is read as it is', () => {
    const cipher = keyringCipher(key);
    const sealed = cipher.seal('{"version":1,"sessions":{}}');
    expect(isSealed(sealed)).toBe(true);
    expect(cipher.open(sealed)).toBe('{"version":1,"sessions":{}}');
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(() => cipher.open(tampered)).toThrow();
    expect(() => keyringCipher(Buffer.alloc(32, 8)).open(sealed)).toThrow();
    expect(cipher.open(Buffer.from('{"version":1}'))).toBe('{"version":1}');
    expect(() => cipher.open(Buffer.from('garbage'))).toThrow();
    // A fresh nonce for every seal.
    expect(cipher.seal('x').equals(cipher.seal('x'))).toBe(false);
  });
});

describe('openHeadlessVault', () => {
  const fresh = (): { home: string; path: string } => {
    const home = mkdtempSync(join(tmpdir(), 'latchkey-keyring-'));
    return { home, path: join(home, 'sessions.json') };
  };

  it('makes a key in the keyring on first use and seals with it', async () => {
    const { home, path } = fresh();
    const keyring = memoryKeyring();
    const { vault, note } = await openHeadlessVault({ home, path, logger: silentLogger, keyring });
    expect([vault.protection, note]).toEqual(['keyring', null]);
    expect(keyring.items.get(`${keyringService}/${keyringAccount(home)}`)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await vault.save({});
    expect(isSealed(readFileSync(path))).toBe(true);
  });

  it('without a keyring, or with it turned off: the plaintext file, with a note that says so', async () => {
    for (const keyring of [memoryKeyring(true), null]) {
      const { home, path } = fresh();
      const { vault, note } = await openHeadlessVault({ home, path, logger: silentLogger, keyring });
      expect(vault.protection).toBe('plaintext');
      expect(note).toContain('plaintext file');
    }
  });

  it('refuses a sealed store it cannot open (keyring locked, turned off, or without the key) and leaves it as it was', async () => {
    for (const keyring of [memoryKeyring(true), null, memoryKeyring()]) {
      const { home, path } = fresh();
      writeFileSync(path, keyringCipher(key).seal('{"version":1,"sessions":{}}'));
      const before = readFileSync(path);
      await expect(openHeadlessVault({ home, path, logger: silentLogger, keyring })).rejects.toMatchObject({ code: 'store_failed', message: expect.stringContaining('is sealed with a key that the keyring does not give') });
      expect(readFileSync(path).equals(before)).toBe(true);
    }
  });

  it('one key per home: two homes of one user never share a key', () => {
    expect(keyringAccount('/home/ada/.config/Latchkey')).not.toBe(keyringAccount('/tmp/latchkey-test-home'));
  });
});
