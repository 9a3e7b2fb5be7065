import { safeStorage } from 'electron';
import { CipherUnavailable, FileVault, type VaultCipher } from '../core/sessions/file-vault.ts';
import { MemoryVault } from '../core/sessions/memory-vault.ts';
import type { Vault } from '../core/sessions/vault.ts';

/** A keychain that cannot answer now is no corrupt store: the vault asks again, and keeps the file. */
async function available(): Promise<void> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) throw new CipherUnavailable('safeStorage cannot encrypt now');
}

/**
 * safeStorage as a vault cipher, through its asynchronous calls (the synchronous ones are
 * deprecated): the OS keychain (Keychain, DPAPI, libsecret/kwallet) holds the key, and a key it
 * rotated has the store sealed again.
 */
const safeStorageCipher: VaultCipher = {
  seal: async (text) => {
    await available();
    return safeStorage.encryptStringAsync(text);
  },
  open: async (data) => {
    await available();
    const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(data);
    return { text: result, reseal: shouldReEncrypt };
  },
};

/** The desktop app's vault, and why it is not the keychain when it is not. */
export interface DesktopVault {
  vault: Vault;
  note: string | null;
}

/**
 * The keychain-encrypted session file where safeStorage has a real backend. On Linux without a
 * secret service, safeStorage falls back to `basic_text` (a hard-coded key, no protection at all),
 * so sessions then stay in memory and the UI says why.
 * See https://www.electronjs.org/docs/latest/api/safe-storage
 */
export async function desktopVault(path: string): Promise<DesktopVault> {
  const plainTextBackend = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  if (!(await safeStorage.isAsyncEncryptionAvailable()) || plainTextBackend) {
    return {
      vault: new MemoryVault(),
      note: 'No OS keychain is available (install and unlock a Secret Service such as GNOME Keyring or KWallet), so sessions are kept in memory only and end when Latchkey quits.',
    };
  }
  return { vault: new FileVault({ path, cipher: safeStorageCipher }), note: null };
}
