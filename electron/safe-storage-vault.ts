import { safeStorage } from 'electron';
import type { HomePaths } from '../core/home.ts';
import type { Logger } from '../core/log.ts';
import { CipherUnavailable } from '../core/sessions/file-vault.ts';
import { inProcessKeyring } from '../core/sessions/keyring-vault.ts';
import { openDesktopStore, type DesktopStore, type SafeStorageLike } from './common/desktop-store.ts';

/** A keychain that cannot answer now is no corrupt store: the vault asks again, and keeps the file. */
async function ready(): Promise<void> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) throw new CipherUnavailable('safeStorage cannot encrypt now');
}

/**
 * Electron's safeStorage through its asynchronous calls (the synchronous ones are deprecated):
 * the OS keychain (Keychain, DPAPI, libsecret/kwallet) holds its key, and a key it rotated has
 * what it sealed sealed again.
 */
const electronSafeStorage: SafeStorageLike = {
  available: () => safeStorage.isAsyncEncryptionAvailable(),
  plainText: () => process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text',
  encrypt: async (text) => {
    await ready();
    return safeStorage.encryptStringAsync(text);
  },
  decrypt: async (data) => {
    await ready();
    const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(data);
    return { text: result, reseal: shouldReEncrypt };
  },
};

/**
 * The desktop app's vault: the store the headless agent reads too (electron/common/desktop-store.ts),
 * its key kept by safeStorage and by the OS keyring, asked in this process (the app cannot start a
 * plain Node helper: its run-as-node fuse is off).
 */
export function desktopVault(paths: HomePaths, logger: Logger): Promise<DesktopStore> {
  return openDesktopStore({ paths, safeStorage: electronSafeStorage, keyring: inProcessKeyring(), logger });
}
