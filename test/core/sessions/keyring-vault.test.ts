import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyringAccount, keyringService, openHeadlessVault } from '../../../core/sessions/keyring-vault.ts';
import { isSealed, sealStore } from '../../../core/sessions/store-envelope.ts';
import { silentLogger } from '../../../core/log.ts';
import { memoryKeyring } from '../../support/memory-keyring.ts';

// The choice of the headless agent's vault, with keyrings that answer, refuse or are
// turned off (the real Secret Service is in test/keyring/).

const key = Buffer.alloc(32, 7);

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
      writeFileSync(path, sealStore('{"version":1,"sessions":{}}', key, { keyring: true, safeStorage: null }));
      const before = readFileSync(path);
      await expect(openHeadlessVault({ home, path, logger: silentLogger, keyring })).rejects.toMatchObject({ code: 'store_failed', message: expect.stringContaining('is sealed with a key that the keyring does not give') });
      expect(readFileSync(path).equals(before)).toBe(true);
    }
  });

  it('one key per home: two homes of one user never share a key', () => {
    expect(keyringAccount('/home/ada/.config/Latchkey')).not.toBe(keyringAccount('/tmp/latchkey-test-home'));
  });
});
