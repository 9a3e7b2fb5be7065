import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  /** Milliseconds since the epoch; Infinity when the provider gave no lifetime. */
  expiresAt: number;
}

// Tokens that oidc-provider revokes together through `revokeByGrantId`.
const grantBoundModels = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

// Expired entries are swept once the store grows past this, so a lab left running stays small.
const sweepThreshold = 2000;

// Kept this long after they expire, in seconds: a device still polling with an expired code is
// told `expired_token` (RFC 8628 section 3.5), which oidc-provider answers only for a code it
// still finds; a forgotten one would be `invalid_grant`.
const keptAfterExpiry: Record<string, number> = { DeviceCode: 600 };

/**
 * The identity provider's storage, in memory. Written for the lab (rather than oidc-provider's
 * development adapter, which warns and hides its storage) so the lab can end every session at
 * once, as an identity provider does after a password change.
 */
export class IdpStore {
  readonly #entries = new Map<string, Entry>();
  /** Session uid → session id (oidc-provider looks sessions up by uid at the end of an interaction). */
  readonly #sessionByUid = new Map<string, string>();
  /** Grant id → keys of the tokens issued under it. */
  readonly #tokensByGrant = new Map<string, Set<string>>();
  /** User code → device code id. */
  readonly #byUserCode = new Map<string, string>();

  /** The factory oidc-provider's `adapter` setting takes: one adapter per model name. */
  readonly adapterFactory = (model: string): Adapter => this.#adapterFor(model);

  /** How many identity-provider sessions are alive (a logout at the provider ends one). */
  sessionCount(): number {
    return [...this.#entries.keys()].filter((key) => key.startsWith('Session:')).length;
  }

  /** Deletes every identity-provider session; the next authorization request asks the person to sign in again. */
  endAllSessions(): number {
    let ended = 0;
    for (const key of [...this.#entries.keys()]) {
      if (key.startsWith('Session:')) {
        this.#entries.delete(key);
        ended += 1;
      }
    }
    this.#sessionByUid.clear();
    return ended;
  }

  /**
   * Ends every device code not yet redeemed, as its lifetime would (the lab's IdP runs on the wall
   * clock, which tests do not move); returns how many there were.
   */
  expireDeviceCodes(): number {
    const nowSeconds = Math.floor(Date.now() / 1000);
    let expired = 0;
    for (const [key, entry] of this.#entries) {
      const { exp, consumed } = entry.payload;
      if (!key.startsWith('DeviceCode:') || consumed !== undefined || typeof exp !== 'number' || exp <= nowSeconds) continue;
      // oidc-provider reads a code as expired when `exp <= now`; the entry itself stays (see keptAfterExpiry).
      entry.payload.exp = nowSeconds;
      expired += 1;
    }
    return expired;
  }

  #find(key: string): AdapterPayload | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    for (const [uid, id] of this.#sessionByUid) if (!this.#entries.has(`Session:${id}`)) this.#sessionByUid.delete(uid);
    for (const [grantId, keys] of this.#tokensByGrant) {
      for (const key of keys) if (!this.#entries.has(key)) keys.delete(key);
      if (keys.size === 0) this.#tokensByGrant.delete(grantId);
    }
  }

  #adapterFor(model: string): Adapter {
    const keyOf = (id: string): string => `${model}:${id}`;
    return {
      upsert: async (id, payload, expiresIn) => {
        if (this.#entries.size > sweepThreshold) this.#sweep();
        const key = keyOf(id);
        const expiresAt = typeof expiresIn === 'number' ? Date.now() + (expiresIn + (keptAfterExpiry[model] ?? 0)) * 1000 : Infinity;
        this.#entries.set(key, { payload, expiresAt });
        if (model === 'Session' && typeof payload.uid === 'string') this.#sessionByUid.set(payload.uid, id);
        if (grantBoundModels.has(model) && payload.grantId !== undefined) {
          const keys = this.#tokensByGrant.get(payload.grantId) ?? new Set<string>();
          keys.add(key);
          this.#tokensByGrant.set(payload.grantId, keys);
        }
        if (typeof payload.userCode === 'string') this.#byUserCode.set(payload.userCode, id);
      },
      find: async (id) => this.#find(keyOf(id)),
      findByUid: async (uid) => {
        const id = this.#sessionByUid.get(uid);
        return id === undefined ? undefined : this.#find(keyOf(id));
      },
      findByUserCode: async (userCode) => {
        const id = this.#byUserCode.get(userCode);
        return id === undefined ? undefined : this.#find(keyOf(id));
      },
      consume: async (id) => {
        const payload = this.#find(keyOf(id));
        if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => {
        this.#entries.delete(keyOf(id));
      },
      revokeByGrantId: async (grantId) => {
        for (const key of this.#tokensByGrant.get(grantId) ?? []) this.#entries.delete(key);
        this.#tokensByGrant.delete(grantId);
      },
    };
  }
}
