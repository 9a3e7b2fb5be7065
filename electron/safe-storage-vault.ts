import { safeStorage } from 'electron';
import { FileVault, type VaultCipher } from '../core/sessions/file-vault.ts';
import { MemoryVault } from '../core/sessions/memory-vault.ts';
import type { Vault } from '../core/sessions/vault.ts';

/** safeStorage as a vault cipher: the OS keychain (Keychain, DPAPI, libsecret/kwallet) holds the key. */
const safeStorageCipher: VaultCipher = {
  seal: (text) => safeStorage.encryptString(text),
  open: (data) => safeStorage.decryptString(data),
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
export function desktopVault(path: string): DesktopVault {
  const plainTextBackend = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || plainTextBackend) {
    return {
      vault: new MemoryVault(),
      note: 'No OS keychain is available (install and unlock a Secret Service such as GNOME Keyring or KWallet), so sessions are kept in memory only and end when Latchkey quits.',
    };
  }
  return { vault: new FileVault({ path, cipher: safeStorageCipher }), note: null };
}
