import type { Vault, VaultContents, VaultLoad } from './vault.ts';

/** Sessions held in memory only, lost when the process ends: for users who ask for it, and for tests. */
export class MemoryVault implements Vault {
  readonly protection = 'memory' as const;
  #sessions: VaultContents;

  constructor(initial: VaultContents = {}) {
    this.#sessions = structuredClone(initial);
  }

  /** Returns a copy of the held sessions. */
  async load(): Promise<VaultLoad> {
    // Copies both ways, like a real store: changing a loaded or saved object changes nothing held.
    return { sessions: structuredClone(this.#sessions) };
  }

  /** Replaces the held sessions with a copy of `sessions`. */
  async save(sessions: VaultContents): Promise<void> {
    this.#sessions = structuredClone(sessions);
  }
}
