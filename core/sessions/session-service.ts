import { systemClock, type Clock } from '../clock.ts';
import { LatchkeyError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { loginError } from '../login/login-errors.ts';
import { runLogin } from '../login/login-flow.ts';
import type { LoginResult } from '../login/login-result.ts';
import type { LoginWindowFactory } from '../login/login-window.ts';
import type { ActivityEntry, AgentEvent, SessionGrant, SessionSummary } from '../operations/contract.ts';
import type { Site } from '../sites/site.ts';
import { ActivityLog } from './activity-log.ts';
import { toGrant } from './session-grant.ts';
import { sessionLapse } from './session-policy.ts';
import type { SessionState, SessionStore } from './session-store.ts';
import { callLogout, probeSession } from './site-calls.ts';

/** Options of the session service. */
export interface SessionServiceOptions {
  store: SessionStore;
  windows: LoginWindowFactory;
  clock?: Clock;
  logger?: Logger;
  /** Login time limits; the defaults are DESIGN.md's. */
  timeouts?: { interactiveMs?: number; silentMs?: number; settleMs?: number };
  /** Fraction of a known lifetime after which a session is renewed silently (DESIGN: 0.9). */
  renewAt?: number;
  /** How long a probe of a site's validation path vouches for a session (default 60 s). */
  validateEveryMs?: number;
}

/** How a caller wants a session. */
export interface AcquireOptions {
  /** How long to wait for a login; 0 answers at once. */
  waitMs: number;
  /** False: silent renewal only, never a window. */
  prompt: boolean;
  client: string | null;
  signal?: AbortSignal;
}

interface Flight {
  interactive: boolean;
  promise: Promise<LoginResult>;
}

/**
 * The sessions of every site: hands them out, renews them silently before they lapse, and runs at
 * most one login per site at a time, whose result every waiting caller shares.
 */
export class SessionService {
  readonly #store: SessionStore;
  readonly #windows: LoginWindowFactory;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #timeouts: NonNullable<SessionServiceOptions['timeouts']>;
  readonly #renewAt: number;
  readonly #flights = new Map<string, Flight>();
  readonly #invalid = new Set<string>();
  readonly #renewTimers = new Map<string, NodeJS.Timeout>();
  /** Bumped by logout, so a login that was running then cannot store its session afterwards. */
  readonly #generation = new Map<string, number>();
  readonly #listeners = new Set<(event: AgentEvent) => void>();
  readonly #activity = new ActivityLog(200);
  /** When each session was last handed out: the inactivity timeout counts from here. */
  readonly #lastUsed = new Map<string, number>();
  readonly #validatedAt = new Map<string, number>();
  readonly #validateEveryMs: number;

  constructor(options: SessionServiceOptions) {
    this.#store = options.store;
    this.#windows = options.windows;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#timeouts = options.timeouts ?? {};
    this.#renewAt = options.renewAt ?? 0.9;
    this.#validateEveryMs = options.validateEveryMs ?? 60_000;
  }

  /** Subscribes to session, login and activity events. */
  onEvent(listener: (event: AgentEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: AgentEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }

  /**
   * The session state of a site: `invalid` for a session the site rejected, `expired` past the
   * site's expiry or the site's maximum age or inactivity timeout.
   */
  state(site: Site): SessionState {
    const session = this.#store.get(site.id);
    if (!session) return 'none';
    if (this.#invalid.has(site.id)) return 'invalid';
    const lastUsed = this.#lastUsed.get(site.id) ?? session.obtainedAt;
    return sessionLapse(session, site.profile, lastUsed, this.#clock.now()) === null ? 'valid' : 'expired';
  }

  /** What a client may see of a site's session. */
  summary(site: Site): SessionSummary {
    const session = this.#store.get(site.id);
    return {
      state: this.state(site),
      user: session?.user ?? null,
      expiresAt: session?.expiresAt == null ? null : new Date(session.expiresAt).toISOString(),
      obtainedAt: session ? new Date(session.obtainedAt).toISOString() : null,
    };
  }

  /** True while a login for the site runs. */
  isLoggingIn(siteId: string): boolean {
    return this.#flights.has(siteId);
  }

  /** Recent hand-outs, newest first. */
  activity(): ActivityEntry[] {
    return this.#activity.entries();
  }

  /**
   * A valid session for the site: the stored one, or one from a login that this call starts or
   * joins (silent renewal first, then the window when the caller allows prompting).
   */
  async acquire(site: Site, options: AcquireOptions): Promise<SessionGrant> {
    if (this.state(site) === 'valid' && (await this.#stillLive(site))) return this.#handOut(site.id, 'store', options.client);
    if (options.waitMs <= 0) {
      throw new LatchkeyError('login_required', `Site ${site.id} has no valid session.`, {
        hint: `Run \`latchkey login ${site.id}\`, or ask again with a wait.`,
      });
    }
    const { result, interactive } = await this.#withDeadline(site, this.#obtain(site, options.prompt), options);
    if (result.ending !== 'ok') throw loginError(result, site.id, { silentOnly: !options.prompt && !interactive });
    return this.#handOut(site.id, interactive ? 'login' : 'renewed', options.client);
  }

  /** Logs in with the window unless the session is valid (or `force`); waits for the result. */
  async login(site: Site, options: { force: boolean; timeoutMs?: number }): Promise<void> {
    if (!options.force && this.state(site) === 'valid') return;
    const flight = this.#flights.get(site.id);
    const joined = flight?.interactive ? flight : this.#start(site, true, options.timeoutMs);
    const result = await joined.promise;
    if (result.ending !== 'ok') throw loginError(result, site.id, { silentOnly: false });
  }

  /** Marks a site's session rejected by the site and starts a silent renewal. */
  invalidate(site: Site): void {
    if (!this.#store.get(site.id)) return;
    this.#invalid.add(site.id);
    this.#emit({ type: 'session', site: site.id, session: this.summary(site) });
    if (!this.#flights.has(site.id)) void this.#start(site, false).promise.catch(() => undefined);
  }

  /**
   * Ends a site's session: calls the site's logout path (when it has one), then forgets the session
   * and the site's browser profile, identity-provider cookies included.
   */
  async logout(site: Site): Promise<void> {
    this.#generation.set(site.id, (this.#generation.get(site.id) ?? 0) + 1);
    clearTimeout(this.#renewTimers.get(site.id));
    this.#renewTimers.delete(site.id);
    const session = this.#store.get(site.id);
    if (session) await callLogout(site, session, site.profile.logoutRedirectUris ?? [], this.#logger);
    this.#invalid.delete(site.id);
    this.#lastUsed.delete(site.id);
    this.#validatedAt.delete(site.id);
    await this.#store.remove(site.id);
    await this.#windows.clearProfile(site.id);
    this.#emit({ type: 'session', site: site.id, session: this.summary(site) });
  }

  /**
   * Probes the site's validation path at most once per `validateEveryMs`; a session the site
   * rejects is marked invalid, so the caller goes on to renew it.
   */
  async #stillLive(site: Site): Promise<boolean> {
    const session = this.#store.get(site.id);
    if (!session || site.profile.validatePath === null) return true;
    const now = this.#clock.now();
    if (now - (this.#validatedAt.get(site.id) ?? -Infinity) < this.#validateEveryMs) return true;
    const verdict = await probeSession(site, session, this.#logger);
    if (verdict === 'dead') {
      this.#logger.info('the site rejected the stored session', { site: site.id });
      this.#invalid.add(site.id);
      this.#emit({ type: 'session', site: site.id, session: this.summary(site) });
      return false;
    }
    if (verdict === 'live') this.#validatedAt.set(site.id, now);
    return true;
  }

  /** Schedules silent renewal for every stored session (at start). */
  scheduleRenewals(sites: readonly Site[]): void {
    for (const site of sites) this.#scheduleRenewal(site);
  }

  /** Stops renewal timers. */
  close(): void {
    for (const timer of this.#renewTimers.values()) clearTimeout(timer);
    this.#renewTimers.clear();
  }

  #handOut(siteId: string, source: SessionGrant['source'], client: string | null): SessionGrant {
    const session = this.#store.get(siteId);
    if (!session) throw new LatchkeyError('login_required', `Site ${siteId} has no session.`, { hint: `Run \`latchkey login ${siteId}\`.` });
    this.#lastUsed.set(siteId, this.#clock.now());
    const entry = this.#activity.record(siteId, client, this.#clock.now());
    this.#emit({ type: 'activity', entry });
    // The activity record keeps who got which session; a log line per hand-out would only cost time.
    this.#logger.debug('session handed out', { site: siteId, client, source });
    return toGrant(session, source);
  }

  /** Joins or starts logins until one succeeds or none may be tried. */
  async #obtain(site: Site, prompt: boolean): Promise<{ result: LoginResult; interactive: boolean }> {
    let flight = this.#flights.get(site.id);
    if (!flight) {
      // With no session at all there are no identity-provider cookies worth a silent try.
      const silentFirst = this.state(site) !== 'none' || !prompt;
      flight = this.#start(site, !silentFirst);
    }
    const first = await flight.promise;
    if (first.ending === 'ok' || flight.interactive || !prompt) return { result: first, interactive: flight.interactive };
    const next = this.#flights.get(site.id) ?? this.#start(site, true);
    return { result: await next.promise, interactive: next.interactive };
  }

  async #withDeadline<T>(site: Site, work: Promise<T>, options: AcquireOptions): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new LatchkeyError('login_timeout', `Waited ${Math.round(options.waitMs / 1000)} s for a login to ${site.id}.`, {
          hint: `Finish the login in the window, or run \`latchkey login ${site.id}\`.`,
        }));
      }, options.waitMs);
      onAbort = () => reject(new LatchkeyError('login_cancelled', 'The caller stopped waiting.'));
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
      if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    }
  }

  #start(site: Site, interactive: boolean, timeoutMs?: number): Flight {
    const generation = this.#generation.get(site.id) ?? 0;
    this.#emit({ type: 'login', site: site.id, phase: 'started' });
    const promise = runLogin({
      site,
      windows: this.#windows,
      interactive,
      // A silent oidc renewal first spends the stored refresh token, with no window at all.
      storedSession: interactive ? null : (this.#store.get(site.id) ?? null),
      clock: this.#clock,
      logger: this.#logger,
      timeoutMs: timeoutMs ?? (interactive ? this.#timeouts.interactiveMs : this.#timeouts.silentMs),
      ...(this.#timeouts.settleMs === undefined ? {} : { settleMs: this.#timeouts.settleMs }),
    })
      .catch((error: unknown): LoginResult => {
        this.#logger.error('login could not run', { site: site.id, error: error instanceof LatchkeyError ? error.code : 'unexpected' });
        if (error instanceof LatchkeyError) throw error;
        return { ending: 'network_error', reason: 'The login window could not be opened.' };
      })
      .then(async (result) => {
        if (result.ending === 'ok' && (this.#generation.get(site.id) ?? 0) === generation) {
          await this.#store.put(result.session);
          this.#invalid.delete(site.id);
          this.#lastUsed.delete(site.id);
          this.#validatedAt.set(site.id, this.#clock.now());
          this.#scheduleRenewal(site);
        }
        return result;
      })
      .finally(() => {
        this.#flights.delete(site.id);
        this.#emit({ type: 'session', site: site.id, session: this.summary(site) });
      });
    const flight: Flight = { interactive, promise };
    this.#flights.set(site.id, flight);
    promise.then(
      (result) => this.#emit({ type: 'login', site: site.id, phase: 'finished', ending: result.ending }),
      () => this.#emit({ type: 'login', site: site.id, phase: 'finished', ending: 'error' }),
    );
    return flight;
  }

  #scheduleRenewal(site: Site): void {
    clearTimeout(this.#renewTimers.get(site.id));
    this.#renewTimers.delete(site.id);
    const session = this.#store.get(site.id);
    if (!session || session.expiresAt === null) return;
    const lifetime = session.expiresAt - session.obtainedAt;
    const delay = Math.max(0, session.obtainedAt + lifetime * this.#renewAt - this.#clock.now());
    if (session.expiresAt <= this.#clock.now()) return;
    const timer = setTimeout(() => {
      this.#renewTimers.delete(site.id);
      if (!this.#flights.has(site.id)) void this.#start(site, false).promise.catch(() => undefined);
    }, delay);
    timer.unref();
    this.#renewTimers.set(site.id, timer);
  }
}
