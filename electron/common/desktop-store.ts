import { join } from 'node:path';
import { lstatOrNull, readFile, rename } from '../../core/fs-calls.ts';
import type { HomePaths } from '../../core/home.ts';
import type { Logger } from '../../core/log.ts';
import { CipherUnavailable, FileVault } from '../../core/sessions/file-vault.ts';
import { keyringAccount, keyringHolder, type KeyringAccess } from '../../core/sessions/keyring-vault.ts';
import { MemoryVault } from '../../core/sessions/memory-vault.ts';
import type { Session } from '../../core/sessions/session.ts';
import { envelopeCipher, keyFromText, keyText, type StoreKeyHolder } from '../../core/sessions/store-envelope.ts';
import type { Vault, VaultContents } from '../../core/sessions/vault.ts';

// The desktop app's session store: the one store both kinds of agent read (store-envelope.ts),
// its key kept by safeStorage and, where the app reaches it, by the OS keyring too, so the
// headless agent can open what the app wrote and the app what the agent wrote. Plain Node: the
// app hands in its safeStorage (electron/safe-storage-vault.ts), tests a stand-in.

/** What the store needs of Electron's safeStorage (its asynchronous calls). */
export interface SafeStorageLike {
  /** False when it cannot encrypt now (CipherUnavailable is thrown by the calls then). */
  available(): Promise<boolean>;
  /** True on Linux when it would use its hard-coded key (`basic_text`): no protection at all. */
  plainText(): boolean;
  encrypt(text: string): Promise<Buffer>;
  /** The text, and whether safeStorage asks for it to be encrypted again (a rotated key). */
  decrypt(data: Buffer): Promise<{ text: string; reseal: boolean }>;
}

/** safeStorage as a holder of the store's key: the key sealed by it, in the store's header. */
export function safeStorageHolder(safeStorage: SafeStorageLike): StoreKeyHolder {
  // The key the header's entry was last seen to hold: kept again only when it changes.
  let entryKey: Buffer | null = null;
  let entry: string | null = null;
  return {
    label: "the desktop app's keychain (safeStorage)",
    find: async (holders) => {
      if (holders.safeStorage === null) return null;
      let opened;
      try {
        opened = await safeStorage.decrypt(Buffer.from(holders.safeStorage, 'base64'));
      } catch (error) {
        // Sealed by another user's or machine's keychain: another holder may still give the key.
        if (error instanceof CipherUnavailable) throw error;
        return null;
      }
      const key = keyFromText(opened.text);
      if (key === null) return null;
      entryKey = key;
      // A rotated keychain key: the entry is made again at the next seal.
      entry = opened.reseal ? null : holders.safeStorage;
      return { key: entryKey, again: opened.reseal };
    },
    keep: async (key, holders) => {
      if (holders.safeStorage !== null && holders.safeStorage === entry && entryKey?.equals(key)) return holders;
      entry = (await safeStorage.encrypt(keyText(key))).toString('base64');
      entryKey = key;
      return { ...holders, safeStorage: entry };
    },
  };
}

/** The desktop app's vault, and why it is not the keychain when it is not. */
export interface DesktopStore {
  vault: Vault;
  note: string | null;
}

const memoryNote = 'No OS keychain is available (install and unlock a Secret Service such as GNOME Keyring or KWallet), so sessions are kept in memory only and end when Latchkey quits.';

function newer(a: Session | undefined, b: Session): Session {
  return a !== undefined && a.obtainedAt >= b.obtainedAt ? a : b;
}

/**
 * Sessions from the desktop app's own file of earlier versions (`sessions.sealed`, safeStorage's
 * blob of the store's JSON): merged into the shared store, the newer session of a site winning,
 * then the old file is set aside.
 */
async function adoptOldDesktopFile(vault: FileVault, safeStorage: SafeStorageLike, paths: HomePaths, logger: Logger): Promise<void> {
  // At the top of the home before hosts had folders (the agent moves it into this host's folder
  // only after the store is open), or in this host's folder.
  let old: string | null = null;
  for (const candidate of [join(paths.hostDir, 'sessions.sealed'), join(paths.home, 'sessions.sealed')]) {
    if (old === null && (await lstatOrNull(candidate)) !== null) old = candidate;
  }
  if (old === null) return;
  let sessions: VaultContents = {};
  try {
    const parsed = JSON.parse((await safeStorage.decrypt(await readFile(old))).text) as { sessions?: VaultContents };
    sessions = parsed.sessions ?? {};
  } catch (error) {
    // A keychain that cannot answer now: the file is kept, and merged at a later start.
    if (error instanceof CipherUnavailable) {
      logger.info("the keychain is not available now; the desktop app's old session file waits", { path: old });
      return;
    }
    logger.warn("the desktop app's old session file could not be read; set it aside", { path: old });
  }
  const current = (await vault.load()).sessions;
  const merged: VaultContents = { ...current };
  for (const [site, session] of Object.entries(sessions)) merged[site] = newer(current[site], session);
  await vault.save(merged);
  await rename(old, `${old}.adopted`);
  logger.info("moved the desktop app's old session file into the shared store", { sessions: Object.keys(sessions).length });
}

/**
 * Opens the desktop app's store, `paths.sessions`, where safeStorage has a real backend: the
 * file the headless agent uses too, sealed under one key that safeStorage and (where `keyring`
 * answers) the OS keyring keep. On Linux without a secret service safeStorage falls back to
 * `basic_text` (a hard-coded key, no protection at all), so sessions then stay in memory and the
 * UI says why. See https://www.electronjs.org/docs/latest/api/safe-storage
 */
export async function openDesktopStore(options: { paths: HomePaths; safeStorage: SafeStorageLike; keyring: KeyringAccess | null; logger: Logger }): Promise<DesktopStore> {
  const { paths, safeStorage, keyring, logger } = options;
  if (!(await safeStorage.available()) || safeStorage.plainText()) return { vault: new MemoryVault(), note: memoryNote };
  const holders = [safeStorageHolder(safeStorage), ...(keyring === null ? [] : [keyringHolder(keyring, keyringAccount(paths.home))])];
  const vault = new FileVault({ path: paths.sessions, logger, cipher: envelopeCipher(holders, { path: paths.sessions }), protection: 'keychain' });
  await adoptOldDesktopFile(vault, safeStorage, paths, logger);
  return { vault, note: null };
}
