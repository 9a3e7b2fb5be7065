import { systemClock, type Clock, type Timer } from '../clock.ts';
import { LatchkeyError } from '../common/errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { loginError } from '../login/login-errors.ts';
import type { LoginResult } from '../login/login-result.ts';
import type { LoginWindowFactory } from '../login/login-window.ts';
import type { ActivityEntry, AgentEvent, LogoutReport, LogoutStep, SessionGrant, SessionSummary } from '../common/views.ts';
import type { Site } from '../sites/site.ts';
import type { SystemBrowser } from '../browser/system-browser.ts';
import { siteHttp, type HttpPort } from '../net/engine-http.ts';
import { modeBrowsers, type LoginBrowser } from '../common/profile.ts';
import { ActivityLog } from './activity-log.ts';
import { toGrant } from './session-grant.ts';
import { sessionLapse } from './session-policy.ts';
import type { SessionState, SessionStore } from './session-store.ts';

/** Options of the session service. */
export interface SessionServiceOptions {
  store: SessionStore;
  windows: LoginWindowFactory;
  clock?: Clock;
  logger?: Logger;
  /** Login time limits; the defaults are those of docs/ARCHITECTURE.md ("Logins"). */
  timeouts?: { interactiveMs?: number; silentMs?: number; settleMs?: number };
  /** Fraction of a known lifetime after which a session is renewed silently (0.9). */
  renewAt?: number;
  /** How long a probe of a site's validation path vouches for a session (default 60 s). */
  validateEveryMs?: number;
  /** Opens pages in the person's own browser (logins in the system browser and app-session logins). */
  systemBrowser?: SystemBrowser;
  /** The engine's HTTP calls (logins, validation, logout); default: Node's, direct. */
  http?: HttpPort;
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

/** One login under way: every caller that needs the site waits on the same one. */
interface Flight {
  interactive: boolean;
  /** What the person is asked to do outside our window, while the login waits for it. */
  prompt: Extract<AgentEvent, { type: 'loginPrompt' }> | null;
  promise: Promise<LoginResult>;
  /** Ends the login (its window closes) when the site is logged out meanwhile. */
  stop: AbortController;
}

/**
 * Everything the service knows about one site besides its stored session. Logout removes the
 * record, so a login that was under way then finds its record gone and stores nothing.
 */
interface SiteRecord {
  /** The site rejected the stored session (a client's 401, or a failed validation probe). */
  invalid: boolean;
  flight: Flight | null;
  renewal: Timer | null;
  /** When the session was last handed out: the inactivity timeout counts from here. */
  lastUsedAt: number | null;
  /** When the validation path last vouched for the session. */
  validatedAt: number | null;
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
  readonly #validateEveryMs: number;
  readonly #systemBrowser: SystemBrowser | undefined;
  readonly #http: HttpPort | undefined;
  readonly #records = new Map<string, SiteRecord>();
  readonly #listeners = new Set<(event: AgentEvent) => void>();
  readonly #activity = new ActivityLog(200);

  constructor(options: SessionServiceOptions) {
    this.#store = options.store;
    this.#windows = options.windows;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#timeouts = options.timeouts ?? {};
    this.#renewAt = options.renewAt ?? 0.9;
    this.#validateEveryMs = options.validateEveryMs ?? 60_000;
    this.#systemBrowser = options.systemBrowser;
    this.#http = options.http;
  }

  /** Subscribes to session, login and activity events. */
  onEvent(listener: (event: AgentEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** What the logins under way ask of the person outside Latchkey's window (their last `loginPrompt` events). */
  prompts(): AgentEvent[] {
    return [...this.#records.values()].flatMap((record) => (record.flight?.prompt ? [record.flight.prompt] : []));
  }

  #emit(event: AgentEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }

  #record(siteId: string): SiteRecord {
    let record = this.#records.get(siteId);
    if (record === undefined) {
      record = { invalid: false, flight: null, renewal: null, lastUsedAt: null, validatedAt: null };
      this.#records.set(siteId, record);
    }
    return record;
  }

  /**
   * The session state of a site: `invalid` for a session the site rejected, `expired` past the
   * site's expiry or the site's maximum age or inactivity timeout.
   */
  state(site: Site): SessionState {
    const session = this.#store.get(site.id);
    if (!session) return 'none';
    const record = this.#records.get(site.id);
    if (record?.invalid === true) return 'invalid';
    const lastUsed = record?.lastUsedAt ?? session.obtainedAt;
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
    return (this.#records.get(siteId)?.flight ?? null) !== null;
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

  /**
   * Logs in with the person unless the session is valid (or `force`); waits for the result.
   * `browser` logs in another way than the profile's, where the site's mode allows it.
   */
  async login(site: Site, options: { force: boolean; timeoutMs?: number; browser?: LoginBrowser }): Promise<void> {
    if (options.browser !== undefined && !modeBrowsers[site.profile.mode].includes(options.browser)) {
      throw new LatchkeyError('invalid_site', `Site ${site.id} (${site.profile.mode} mode) cannot log in with ${describeBrowser(options.browser)}.`, {
        hint: `It logs in with ${modeBrowsers[site.profile.mode].map(describeBrowser).join(' or ')}.`,
      });
    }
    if (!options.force && this.state(site) === 'valid') return;
    const flight = this.#records.get(site.id)?.flight;
    const joined = flight?.interactive === true ? flight : this.#start(site, true, options.timeoutMs, options.browser);
    const result = await joined.promise;
    if (result.ending !== 'ok') throw loginError(result, site.id, { silentOnly: false });
  }

  /** Marks a site's session rejected by the site and starts a silent renewal. */
  invalidate(site: Site): void {
    if (!this.#store.get(site.id)) return;
    const record = this.#record(site.id);
    record.invalid = true;
    this.#emit({ type: 'session', site: site.id, session: this.summary(site) });
    if (record.flight === null) void this.#start(site, false).promise.catch(() => undefined);
  }

  /**
   * Ends a site's session: stops a login under way, ends what it can beyond this machine (the
   * provider's tokens, the site's logout path, and with `everywhere` Latchkey's session at the
   * identity provider), then forgets the session, the site's record and its browser profile,
   * identity-provider cookies included. The local session goes whatever the steps beyond it
   * come to; the report says what each did.
   */
  async logout(site: Site, options: { everywhere?: boolean } = {}): Promise<LogoutReport> {
    const record = this.#records.get(site.id);
    this.#records.delete(site.id);
    record?.renewal?.cancel();
    if (record?.flight) {
      record.flight.stop.abort();
      // Its window must be closed before the profile it uses is deleted.
      await record.flight.promise.catch(() => undefined);
    }
    const session = this.#store.get(site.id);
    const steps: LogoutStep[] = [];
    if (session !== undefined) {
      // Loaded with the first logout that has something to end beyond this machine.
      const deps = { clock: this.#clock, logger: this.#logger, http: this.#httpFor(site) };
      if (site.profile.mode === 'oidc') {
        const { logoutAtProvider } = await import('../login/provider-logout.ts');
        // Before the profile goes: the provider's session is ended in a window that uses it.
        steps.push(...(await logoutAtProvider(site, session, { ...deps, windows: this.#windows }, { everywhere: options.everywhere === true })));
      }
      if (site.profile.logoutPath !== null) {
        const { callLogout } = await import('./site-calls.ts');
        const step = await callLogout(site, session, site.profile.logoutRedirectUris ?? [], this.#logger, deps.http);
        if (step !== null) steps.push(step);
      }
    }
    await this.#store.remove(site.id);
    await this.#windows.clearProfile(site.id);
    this.#emit({ type: 'session', site: site.id, session: this.summary(site) });
    for (const step of steps.filter((done) => !done.ok)) this.#logger.warn('logout step not done; the local session is gone anyway', { site: site.id, step: step.step, detail: step.detail });
    return { site: site.id, steps, localOnly: !steps.some((step) => step.ok) };
  }

  /**
   * Probes the site's validation path at most once per `validateEveryMs`; a session the site
   * rejects is marked invalid, so the caller goes on to renew it.
   */
  async #stillLive(site: Site): Promise<boolean> {
    const session = this.#store.get(site.id);
    if (!session || site.profile.validatePath === null) return true;
    const now = this.#clock.now();
    const record = this.#record(site.id);
    if (record.validatedAt !== null && now - record.validatedAt < this.#validateEveryMs) return true;
    // Loaded with the first probe: an agent of sites without a validation path never needs an HTTP client.
    const { probeSession } = await import('./site-calls.ts');
    const verdict = await probeSession(site, session, this.#logger, this.#httpFor(site));
    if (verdict === 'dead') {
      this.#logger.info('the site rejected the stored session', { site: site.id });
      this.#record(site.id).invalid = true;
      this.#emit({ type: 'session', site: site.id, session: this.summary(site) });
      return false;
    }
    if (verdict === 'live') this.#record(site.id).validatedAt = now;
    return true;
  }

  /** The engine's calls for `site`: its own proxy where its profile names one, else the port given, else Node's, direct. */
  #httpFor(site: Site): HttpPort {
    return siteHttp(site, this.#http, this.#logger);
  }

  /** Schedules silent renewal for every stored session (at start). */
  scheduleRenewals(sites: readonly Site[]): void {
    for (const site of sites) this.#scheduleRenewal(site);
  }

  /** Stops renewal timers and logins under way. */
  close(): void {
    for (const record of this.#records.values()) {
      record.renewal?.cancel();
      record.renewal = null;
      record.flight?.stop.abort();
    }
  }

  #handOut(siteId: string, source: SessionGrant['source'], client: string | null): SessionGrant {
    const session = this.#store.get(siteId);
    if (!session) throw new LatchkeyError('login_required', `Site ${siteId} has no session.`, { hint: `Run \`latchkey login ${siteId}\`.` });
    const now = this.#clock.now();
    this.#record(siteId).lastUsedAt = now;
    const entry = this.#activity.record(siteId, client, now);
    this.#emit({ type: 'activity', entry });
    // The activity record keeps who got which session; a log line per hand-out would only cost time.
    this.#logger.debug('session handed out', { site: siteId, client, source });
    return toGrant(session, source);
  }

  /** Joins or starts logins until one succeeds or none may be tried. */
  async #obtain(site: Site, prompt: boolean): Promise<{ result: LoginResult; interactive: boolean }> {
    let flight = this.#records.get(site.id)?.flight ?? null;
    if (flight === null) {
      // With no session at all there are no identity-provider cookies worth a silent try.
      const silentFirst = this.state(site) !== 'none' || !prompt;
      flight = this.#start(site, !silentFirst);
    }
    const first = await flight.promise;
    if (first.ending === 'ok' || flight.interactive || !prompt) return { result: first, interactive: flight.interactive };
    const next = this.#records.get(site.id)?.flight ?? this.#start(site, true);
    return { result: await next.promise, interactive: next.interactive };
  }

  async #withDeadline<T>(site: Site, work: Promise<T>, options: AcquireOptions): Promise<T> {
    let timer: Timer | undefined;
    let onAbort: (() => void) | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = this.#clock.setTimer(options.waitMs, () => {
        reject(new LatchkeyError('login_timeout', `Waited ${Math.round(options.waitMs / 1000)} s for a login to ${site.id}.`, {
          hint: `Finish the login in the window, or run \`latchkey login ${site.id}\`.`,
        }));
      }, 'caller wait');
      onAbort = () => reject(new LatchkeyError('login_cancelled', 'The caller stopped waiting.'));
      if (options.signal?.aborted === true) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([work, deadline]);
    } finally {
      timer?.cancel();
      if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    }
  }

  #start(site: Site, interactive: boolean, timeoutMs?: number, browser?: LoginBrowser): Flight {
    const record = this.#record(site.id);
    const stop = new AbortController();
    this.#emit({ type: 'login', site: site.id, phase: 'started' });
    // The login flow (its strategies, the OIDC client, JWT checks) is loaded with the first login.
    const promise = import('../login/login-flow.ts').then(({ runLogin }) => runLogin({
      site,
      windows: this.#windows,
      interactive,
      // A silent oidc renewal first spends the stored refresh token, with no window at all.
      storedSession: interactive ? null : (this.#store.get(site.id) ?? null),
      clock: this.#clock,
      logger: this.#logger,
      signal: stop.signal,
      timeoutMs: timeoutMs ?? (interactive ? this.#timeouts.interactiveMs : this.#timeouts.silentMs),
      ...(this.#timeouts.settleMs === undefined ? {} : { settleMs: this.#timeouts.settleMs }),
      ...(browser === undefined ? {} : { browser }),
      ...(this.#systemBrowser === undefined ? {} : { systemBrowser: this.#systemBrowser }),
      ...(this.#http === undefined ? {} : { http: this.#http }),
      onPrompt: (prompt) => {
        const event = {
          type: 'loginPrompt',
          site: site.id,
          url: prompt.url,
          userCode: prompt.userCode,
          expiresAt: prompt.expiresAt === null ? null : new Date(prompt.expiresAt).toISOString(),
        } as const;
        flight.prompt = event;
        this.#emit(event);
      },
    }))
      .catch((error: unknown): LoginResult => {
        this.#logger.error('login could not run', { site: site.id, error: error instanceof LatchkeyError ? error.code : 'unexpected' });
        if (error instanceof LatchkeyError) throw error;
        return { ending: 'network_error', reason: 'The login window could not be opened.' };
      })
      .then(async (result) => {
        // A logout while the login ran removed the record: its result is not stored.
        if (result.ending === 'ok' && this.#records.get(site.id) === record) {
          await this.#store.put(result.session);
          record.invalid = false;
          record.lastUsedAt = null;
          record.validatedAt = this.#clock.now();
          this.#scheduleRenewal(site);
        }
        return result;
      })
      .finally(() => {
        flight.prompt = null;
        if (record.flight === flight) record.flight = null;
        this.#emit({ type: 'session', site: site.id, session: this.summary(site) });
      });
    const flight: Flight = { interactive, prompt: null, promise, stop };
    record.flight = flight;
    promise.then(
      (result) => this.#emit({ type: 'login', site: site.id, phase: 'finished', ending: result.ending }),
      () => this.#emit({ type: 'login', site: site.id, phase: 'finished', ending: 'error' }),
    );
    return flight;
  }

  #scheduleRenewal(site: Site): void {
    const session = this.#store.get(site.id);
    const existing = this.#records.get(site.id);
    existing?.renewal?.cancel();
    if (existing) existing.renewal = null;
    if (!session || session.expiresAt === null) return;
    const now = this.#clock.now();
    if (session.expiresAt <= now) return;
    const record = this.#record(site.id);
    const lifetime = session.expiresAt - session.obtainedAt;
    const delay = Math.max(0, session.obtainedAt + lifetime * this.#renewAt - now);
    record.renewal = this.#clock.setTimer(delay, () => {
      record.renewal = null;
      if (this.#records.get(site.id) === record && record.flight === null) void this.#start(site, false).promise.catch(() => undefined);
    }, 'renewal');
  }
}

function describeBrowser(browser: LoginBrowser): string {
  switch (browser) {
    case 'embedded':
      return "Latchkey's login window";
    case 'system':
      return 'your own browser';
    case 'device':
      return 'a device code';
  }
}
