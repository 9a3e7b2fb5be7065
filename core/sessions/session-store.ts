import { deepFreeze } from '../common/deep-freeze.ts';
import { silentLogger, type Logger } from '../log.ts';
import type { Session } from './session.ts';
import { registerSessionSecrets } from './session-secrets.ts';
import type { SessionState } from '../common/views.ts';
import type { Vault, VaultContents } from './vault.ts';

export type { SessionState } from '../common/views.ts';

/**
 * The sessions of every site, in memory and in a vault. Only successful logins write here. Each is
 * frozen as stored: a session is replaced, never changed in place.
 */
export class SessionStore {
  readonly #vault: Vault;
  readonly #logger: Logger;
  readonly #sessions: Map<string, Session>;
  /** Set when the vault's file could not be read and was moved aside at open. */
  readonly corruptSetAside: string | null;

  private constructor(vault: Vault, logger: Logger, sessions: VaultContents, corruptSetAside: string | null) {
    this.#vault = vault;
    this.#logger = logger;
    this.#sessions = new Map(Object.entries(sessions).map(([siteId, session]) => [siteId, deepFreeze(session)]));
    this.corruptSetAside = corruptSetAside;
    for (const session of this.#sessions.values()) registerSessionSecrets(session);
  }

  /** Opens the store over a vault; a corrupt vault opens empty and says where the old file went. */
  static async open(vault: Vault, logger: Logger = silentLogger): Promise<SessionStore> {
    const loaded = await vault.load();
    return new SessionStore(vault, logger, loaded.sessions, loaded.corrupt?.setAsidePath ?? null);
  }

  /** How sessions are protected at rest (for `status`). */
  get protection(): Vault['protection'] {
    return this.#vault.protection;
  }

  get(siteId: string): Session | undefined {
    return this.#sessions.get(siteId);
  }

  /** The state of a site's session at `now` (epoch ms). */
  state(siteId: string, now: number): SessionState {
    const session = this.#sessions.get(siteId);
    if (!session) return 'none';
    return session.expiresAt !== null && session.expiresAt <= now ? 'expired' : 'valid';
  }

  /** Stores a site's new session, replacing the old one. */
  async put(session: Session): Promise<void> {
    registerSessionSecrets(session);
    this.#sessions.set(session.siteId, deepFreeze(session));
    await this.#persist();
    this.#logger.info('session stored', { site: session.siteId, expiresAt: session.expiresAt });
  }

  /** Forgets a site's session. */
  async remove(siteId: string): Promise<void> {
    if (!this.#sessions.delete(siteId)) return;
    await this.#persist();
    this.#logger.info('session removed', { site: siteId });
  }

  async #persist(): Promise<void> {
    await this.#vault.save(Object.fromEntries(this.#sessions));
  }
}
