import type { Session } from './session.ts';

/** What a vault holds: the sessions of every site, by site id. */
export type VaultContents = Record<string, Session>;

/** What opening a vault found. A corrupt store is set aside and reported, never logged. */
export interface VaultLoad {
  sessions: VaultContents;
  /** Present when the stored data could not be read and was moved to `setAsidePath`. */
  corrupt?: { setAsidePath: string };
}

/** Where sessions live at rest. Implementations write atomically: a crash leaves the old or the new contents, never a mix. */
export interface Vault {
  /** How the vault protects sessions, for `status` (`keychain`, `keyring`, `plaintext` or `memory`). */
  readonly protection: 'keychain' | 'keyring' | 'plaintext' | 'memory';
  load(): Promise<VaultLoad>;
  save(sessions: VaultContents): Promise<void>;
}
