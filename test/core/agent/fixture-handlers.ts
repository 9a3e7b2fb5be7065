import { randomBytes } from 'node:crypto';
import { LatchkeyError } from '../../../core/common/errors.ts';
import type { AgentEvent, SessionGrant, SiteView } from '../../../core/common/views.ts';
import type { Caller, OperationHandlers } from '../../../core/operations/inputs.ts';
import type { OperationName } from '../../../core/common/operations.ts';
import { ManualClock } from '../../support/manual-clock.ts';
import { recordSecret } from '../../support/secrets.ts';
import { shotgridProfile } from '../../support/sites.ts';

/** The in-memory engine behind the agent in these tests, with the knobs the tests turn. */
export interface FixtureEngine {
  handlers: OperationHandlers;
  /** The distinctive fake session value `getSession` hands out; it must never reach a log. */
  sessionValue: string;
  /** Every call that reached a handler, in order. */
  calls: Array<{ name: OperationName; input: unknown; caller: Caller }>;
  /** Marks a site logged in: waiting `getSession` calls for it return the grant. */
  completeLogin(siteId: string): void;
  /** Streams events to subscribers (the agent's `events` option). */
  subscribe(listener: (event: AgentEvent) => void): () => void;
  emit(event: AgentEvent): void;
  /** Subscribers right now (each open event stream is one). */
  listenerCount(): number;
  /** Resolves once there are exactly `count` subscribers (at once if there are). */
  whenListeners(count: number): Promise<void>;
  /** Resolves with the next call of the operation `name` that reaches a handler. */
  nextCall(name: OperationName): Promise<FixtureEngine['calls'][number]>;
  /** The clock of `getSession`'s waits: they run out only when the test moves it. */
  clock: ManualClock;
}

/**
 * Wraps any handlers so every call that reaches them is recorded first: the attack tests assert
 * that a refused request never got this far. (Wrap the real handlers the same way to run them.)
 */
export function recording(handlers: OperationHandlers, calls: FixtureEngine['calls'], onCall: (call: FixtureEngine['calls'][number]) => void = () => undefined): OperationHandlers {
  const wrapped: Partial<Record<OperationName, (input: never, caller: Caller) => Promise<unknown>>> = {};
  for (const name of Object.keys(handlers) as OperationName[]) {
    const handler = handlers[name] as (input: unknown, caller: Caller) => Promise<unknown>;
    wrapped[name] = (input, caller) => {
      const call = { name, input, caller };
      calls.push(call);
      onCall(call);
      return handler(input, caller);
    };
  }
  return wrapped as OperationHandlers;
}

/**
 * A small, real OperationHandlers object over an in-memory site list: `studio` (the default,
 * logged in), `other` and `broken` (logged out). `getSession` honours `wait` (returning when
 * `completeLogin` is called, or `login_timeout` when the wait runs out) and the caller's signal.
 * The site `broken` fails its logins with details, and `invalidate` of `explode` throws a plain
 * Error whose message holds a secret, for the error-mapping tests.
 */
export function createFixtureEngine(clock = new ManualClock()): FixtureEngine {
  const sessionValue = `fixture-session-${randomBytes(24).toString('base64url')}`;
  recordSecret(sessionValue);
  const sites = new Map<string, { name: string; url: string; loggedIn: boolean }>([
    ['studio', { name: 'Studio', url: 'https://studio.example.com', loggedIn: true }],
    ['other', { name: 'Other', url: 'https://other.example.com', loggedIn: false }],
    ['broken', { name: 'Broken', url: 'https://broken.example.com', loggedIn: false }],
  ]);
  let defaultSite = 'studio';
  const waiters = new Map<string, Set<() => void>>();
  const listeners = new Set<(event: AgentEvent) => void>();
  const resolveId = (id: string): string => {
    const key = id === 'default' ? defaultSite : id;
    if (!sites.has(key)) throw new LatchkeyError('site_not_found', `No site ${JSON.stringify(id)}.`);
    return key;
  };
  const view = (id: string): SiteView => {
    const site = sites.get(id);
    if (site === undefined) throw new LatchkeyError('site_not_found', `No site ${JSON.stringify(id)}.`);
    return {
      id,
      name: site.name,
      url: site.url,
      default: id === defaultSite,
      profile: shotgridProfile(),
      session: site.loggedIn
        ? { state: 'valid', user: 'ada', expiresAt: null, obtainedAt: '2025-01-01T00:00:00.000Z' }
        : { state: 'none', user: null, expiresAt: null, obtainedAt: null },
      loggingIn: false,
    };
  };
  const grant = (id: string): SessionGrant => ({
    site: id,
    siteUrl: sites.get(id)?.url ?? '',
    user: 'ada',
    credential: { kind: 'cookie', name: '_session_id', value: sessionValue },
    cookies: [],
    headers: { Cookie: `_session_id=${sessionValue}` },
    expiresAt: null,
    obtainedAt: '2025-01-01T00:00:00.000Z',
    source: 'store',
  });
  const emit = (event: AgentEvent): void => {
    for (const listener of listeners) listener(event);
  };

  const waitForLogin = (id: string, seconds: number, signal: AbortSignal | undefined): Promise<SessionGrant> =>
    new Promise((resolve, reject) => {
      const set = waiters.get(id) ?? new Set();
      waiters.set(id, set);
      const finish = (): void => {
        timer.cancel();
        set.delete(onLogin);
        signal?.removeEventListener('abort', onAbort);
      };
      const onLogin = (): void => {
        finish();
        resolve(grant(id));
      };
      const onAbort = (): void => {
        finish();
        reject(new LatchkeyError('login_cancelled', 'The caller went away.'));
      };
      const timer = clock.setTimer(seconds * 1000, () => {
        finish();
        reject(new LatchkeyError('login_timeout', `No login to ${id} within ${seconds} s.`));
      }, 'fixture wait');
      set.add(onLogin);
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  const memory: OperationHandlers = {
    health: async () => ({ ok: true, version: 'test', pid: process.pid }),
    status: async () => ({ version: 'test', pid: process.pid, storage: 'memory', storageNote: null, sites: [...sites.keys()].map(view) }),
    listSites: async () => [...sites.keys()].map(view),
    addSite: async (input) => {
      const id = new URL(input.url).hostname.split('.')[0] ?? 'site';
      if (sites.has(id)) throw new LatchkeyError('site_exists', `Site ${id} exists.`);
      sites.set(id, { name: input.name ?? id, url: input.url, loggedIn: false });
      emit({ type: 'sites', sites: [...sites.keys()].map(view) });
      return view(id);
    },
    updateSite: async (input) => {
      const id = resolveId(input.id);
      const site = sites.get(id);
      if (site !== undefined && input.name !== undefined) site.name = input.name;
      return view(id);
    },
    removeSite: async (input) => {
      const id = resolveId(input.id);
      sites.delete(id);
      return { removed: id };
    },
    setDefaultSite: async (input) => {
      defaultSite = resolveId(input.id);
      return view(defaultSite);
    },
    getSession: async (input, caller) => {
      const id = resolveId(input.id);
      if (sites.get(id)?.loggedIn === true) return grant(id);
      if (input.wait === 0) throw new LatchkeyError('login_required', `Site ${id} needs a login.`);
      return waitForLogin(id, input.wait, caller.signal);
    },
    login: async (input) => {
      const id = resolveId(input.id);
      if (id === 'broken') {
        throw new LatchkeyError('login_failed', 'The login to broken failed (http_error).', { details: { ending: 'http_error', reason: 'The landing page answered HTTP 503.', status: 503 } });
      }
      return view(id);
    },
    logout: async (input) => {
      const id = resolveId(input.id);
      return { site: view(id), report: { site: id, steps: [], localOnly: true } };
    },
    logoutAll: async () => ({ sites: [...sites.keys()], reports: [...sites.keys()].map((site) => ({ site, steps: [], localOnly: true })) }),
    invalidate: async (input) => {
      if (input.id === 'explode') throw new Error(`database exploded near ${sessionValue}`);
      return view(resolveId(input.id));
    },
    activity: async () => [],
  };
  const calls: FixtureEngine['calls'] = [];
  const callWaiters = new Set<(call: FixtureEngine['calls'][number]) => void>();
  const listenerWaiters = new Set<() => void>();
  const listenersChanged = (): void => {
    for (const waiter of [...listenerWaiters]) waiter();
  };

  return {
    handlers: recording(memory, calls, (call) => {
      for (const waiter of [...callWaiters]) waiter(call);
    }),
    sessionValue,
    calls,
    completeLogin: (siteId) => {
      const site = sites.get(siteId);
      if (site !== undefined) site.loggedIn = true;
      for (const waiter of [...(waiters.get(siteId) ?? [])]) waiter();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      listenersChanged();
      return () => {
        listeners.delete(listener);
        listenersChanged();
      };
    },
    emit,
    listenerCount: () => listeners.size,
    whenListeners: (count) =>
      new Promise((resolve) => {
        const check = (): void => {
          if (listeners.size !== count) return;
          listenerWaiters.delete(check);
          resolve();
        };
        listenerWaiters.add(check);
        check();
      }),
    nextCall: (name) =>
      new Promise((resolve) => {
        const waiter = (call: FixtureEngine['calls'][number]): void => {
          if (call.name !== name) return;
          callWaiters.delete(waiter);
          resolve(call);
        };
        callWaiters.add(waiter);
      }),
    clock,
  };
}
