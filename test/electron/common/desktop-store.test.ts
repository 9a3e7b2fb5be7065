import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { homePaths } from '../../../core/home.ts';
import { silentLogger } from '../../../core/log.ts';
import { CipherUnavailable } from '../../../core/sessions/file-vault.ts';
import { keyringAccount, keyringService, openHeadlessVault } from '../../../core/sessions/keyring-vault.ts';
import type { Session } from '../../../core/sessions/session.ts';
import { readSealedStore } from '../../../core/sessions/store-envelope.ts';
import { openDesktopStore, type SafeStorageLike } from '../../../electron/common/desktop-store.ts';
import { memoryKeyring } from '../../support/memory-keyring.ts';
import { makeTestHome } from '../../support/test-home.ts';

// The desktop app's store with a stand-in for safeStorage (AES-GCM under a key of its own, as the
// OS keychain would hold it): the one store both kinds of agent read, each opening what the other
// wrote. The real keyring and a real takeover are in desktop-takeover.test.ts.

/** A stand-in for Electron's safeStorage; `state` switches it off or has it ask for a new seal. */
function fakeSafeStorage(state: { available: boolean; rotated?: boolean; plainText?: boolean } = { available: true }): SafeStorageLike & { key: Buffer } {
  const key = randomBytes(32);
  return {
    key,
    available: async () => state.available,
    plainText: () => state.plainText === true,
    encrypt: async (text) => {
      if (!state.available) throw new CipherUnavailable();
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from('v10'), nonce, cipher.getAuthTag(), body]);
    },
    decrypt: async (data) => {
      if (!state.available) throw new CipherUnavailable();
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(3, 15));
      decipher.setAuthTag(data.subarray(15, 31));
      const text = Buffer.concat([decipher.update(data.subarray(31)), decipher.final()]).toString('utf8');
      return { text, reseal: state.rotated === true };
    },
  };
}

function session(site: string, value: string, obtainedAt = 1): Session {
  return {
    siteId: site,
    siteUrl: `https://${site}.example.com`,
    user: 'ada',
    credential: { kind: 'cookie', name: '_session_id', value },
    cookies: [],
    obtainedAt,
    expiresAt: null,
  };
}

function fresh(label: string): ReturnType<typeof homePaths> {
  const paths = homePaths(makeTestHome(label).dir, 'ws-a');
  mkdirSync(paths.hostDir, { recursive: true });
  return paths;
}

const headless = (paths: ReturnType<typeof homePaths>, keyring: ReturnType<typeof memoryKeyring>) => openHeadlessVault({ home: paths.home, path: paths.sessions, logger: silentLogger, keyring });

describe("the desktop app's store", () => {
  it("takes over a headless agent's keyring-sealed store, adds its own holder, and the agent still opens what the app wrote", async () => {
    const paths = fresh('desk-takeover');
    const keyring = memoryKeyring();
    await (await headless(paths, keyring)).vault.save({ studio: session('studio', 'from-headless') });
    expect(readSealedStore(readFileSync(paths.sessions)).holders).toEqual({ keyring: true, safeStorage: null });

    const safeStorage = fakeSafeStorage();
    const desktop = await openDesktopStore({ paths, safeStorage, keyring, logger: silentLogger });
    expect([desktop.vault.protection, desktop.note]).toEqual(['keychain', null]);
    expect((await desktop.vault.load()).sessions['studio']?.credential.value).toBe('from-headless');
    // Sealed again at once with safeStorage's entry, under the same key.
    expect(readSealedStore(readFileSync(paths.sessions)).holders).toEqual({ keyring: true, safeStorage: expect.any(String) });
    await desktop.vault.save({ studio: session('studio', 'from-desktop') });

    const back = await headless(paths, keyring);
    expect((await back.vault.load()).sessions['studio']?.credential.value).toBe('from-desktop');
    // And the app opens the agent's next write with safeStorage alone (no keyring reached).
    await back.vault.save({ studio: session('studio', 'headless-again') });
    const alone = await openDesktopStore({ paths, safeStorage, keyring: null, logger: silentLogger });
    expect((await alone.vault.load()).sessions['studio']?.credential.value).toBe('headless-again');
  });

  it('writing first, keeps its key in the keyring too, so a headless agent opens the store', async () => {
    const paths = fresh('desk-first');
    const keyring = memoryKeyring();
    const desktop = await openDesktopStore({ paths, safeStorage: fakeSafeStorage(), keyring, logger: silentLogger });
    await desktop.vault.save({ studio: session('studio', 'desktop-first') });
    expect(readSealedStore(readFileSync(paths.sessions)).holders).toMatchObject({ keyring: true });
    expect((await (await headless(paths, keyring)).vault.load()).sessions['studio']?.credential.value).toBe('desktop-first');
  });

  it('without the keyring, the headless agent is refused with what to do, and the store is kept as it was', async () => {
    const paths = fresh('desk-nokeyring');
    const desktop = await openDesktopStore({ paths, safeStorage: fakeSafeStorage(), keyring: memoryKeyring(true), logger: silentLogger });
    await desktop.vault.save({ studio: session('studio', 'only-safestorage') });
    const before = readFileSync(paths.sessions);
    expect(readSealedStore(before).holders).toEqual({ keyring: false, safeStorage: expect.any(String) });
    // A keyring without a key for the home refuses at once; one with a key of its own (made by an
    // earlier headless agent) opens the vault, whose first read refuses: never a new key over it.
    await expect(headless(paths, memoryKeyring())).rejects.toMatchObject({ code: 'store_failed', message: expect.stringContaining('sealed by the desktop app without the OS keyring'), hint: expect.stringContaining('Open it with the desktop app') });
    const other = memoryKeyring();
    other.set(keyringService, keyringAccount(paths.home), randomBytes(32).toString('base64url'));
    const vault = (await headless(paths, other)).vault;
    await expect(vault.load()).rejects.toMatchObject({ code: 'store_failed', hint: expect.stringContaining('open it with the desktop app') });
    expect(readFileSync(paths.sessions).equals(before)).toBe(true);
  });

  it('keeps sessions in memory, saying why, where safeStorage cannot encrypt or would use its hard-coded key', async () => {
    for (const state of [{ available: false }, { available: true, plainText: true }]) {
      const paths = fresh('desk-memory');
      const desktop = await openDesktopStore({ paths, safeStorage: fakeSafeStorage(state), keyring: memoryKeyring(), logger: silentLogger });
      expect(desktop.vault.protection).toBe('memory');
      expect(desktop.note).toContain('kept in memory only');
      await desktop.vault.save({ studio: session('studio', 'in-memory') });
      expect(existsSync(paths.sessions)).toBe(false);
    }
  });

  it('seals again when safeStorage asks (its key rotated)', async () => {
    const paths = fresh('desk-rotated');
    const state = { available: true, rotated: false };
    const safeStorage = fakeSafeStorage(state);
    await (await openDesktopStore({ paths, safeStorage, keyring: null, logger: silentLogger })).vault.save({ studio: session('studio', 'v') });
    const before = readFileSync(paths.sessions);
    state.rotated = true;
    const desktop = await openDesktopStore({ paths, safeStorage, keyring: null, logger: silentLogger });
    expect(Object.keys((await desktop.vault.load()).sessions)).toEqual(['studio']);
    const after = readSealedStore(readFileSync(paths.sessions)).holders.safeStorage;
    expect(after).not.toBe(readSealedStore(before).holders.safeStorage);
  });

  it("merges the app's own file of earlier versions into the shared store, the newer session of a site winning", async () => {
    const paths = fresh('desk-adopt');
    const keyring = memoryKeyring();
    await (await headless(paths, keyring)).vault.save({ studio: session('studio', 'headless-newer', 20), render: session('render', 'headless-older', 5) });
    const safeStorage = fakeSafeStorage();
    const old = JSON.stringify({ version: 1, sessions: { studio: session('studio', 'desktop-older', 10), render: session('render', 'desktop-newer', 30), cloud: session('cloud', 'desktop-only', 1) } });
    writeFileSync(join(paths.hostDir, 'sessions.sealed'), await safeStorage.encrypt(old));
    const desktop = await openDesktopStore({ paths, safeStorage, keyring, logger: silentLogger });
    const values = Object.fromEntries(Object.entries((await desktop.vault.load()).sessions).map(([site, stored]) => [site, stored.credential.value]));
    expect(values).toEqual({ studio: 'headless-newer', render: 'desktop-newer', cloud: 'desktop-only' });
    expect(existsSync(join(paths.hostDir, 'sessions.sealed'))).toBe(false);
    expect(existsSync(join(paths.hostDir, 'sessions.sealed.adopted'))).toBe(true);
  });

  it('leaves that file for a later start while the keychain cannot answer, and sets aside one it can never open', async () => {
    const paths = fresh('desk-adopt-later');
    const state = { available: true };
    const safeStorage = fakeSafeStorage(state);
    const old = join(paths.hostDir, 'sessions.sealed');
    writeFileSync(old, await safeStorage.encrypt(JSON.stringify({ version: 1, sessions: { cloud: session('cloud', 'later') } })));
    // Available when the app starts, "not now" for the old file (a keychain locking again).
    const flaky: SafeStorageLike = { ...safeStorage, decrypt: async () => { throw new CipherUnavailable(); } };
    await openDesktopStore({ paths, safeStorage: flaky, keyring: null, logger: silentLogger });
    expect(existsSync(old)).toBe(true);
    const desktop = await openDesktopStore({ paths, safeStorage, keyring: null, logger: silentLogger });
    expect((await desktop.vault.load()).sessions['cloud']?.credential.value).toBe('later');
    // Sealed by another keychain: no later start opens it.
    writeFileSync(old, Buffer.from('v10 not this keychain'));
    await openDesktopStore({ paths, safeStorage, keyring: null, logger: silentLogger });
    expect(existsSync(old)).toBe(false);
  });

  it('finds that file at the top of a home from before hosts had folders too', async () => {
    const paths = fresh('desk-adopt-top');
    const safeStorage = fakeSafeStorage();
    writeFileSync(join(paths.home, 'sessions.sealed'), await safeStorage.encrypt(JSON.stringify({ version: 1, sessions: { cloud: session('cloud', 'top-level') } })));
    const desktop = await openDesktopStore({ paths, safeStorage, keyring: null, logger: silentLogger });
    expect((await desktop.vault.load()).sessions['cloud']?.credential.value).toBe('top-level');
    expect(existsSync(join(paths.home, 'sessions.sealed'))).toBe(false);
  });
});
