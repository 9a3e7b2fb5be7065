import type { ErrorCode } from './errors.ts';
import type { LoginBrowser, LoginProfile } from './profile.ts';
import type { ActivityEntry, AgentEvent, AgentStatus, LogoutReport, SessionGrant, SiteView } from './views.ts';

// The one declaration of Latchkey's operations (docs/ARCHITECTURE.md, "One contract"): the agent's
// HTTP routes, the Electron IPC handlers, the preload Bridge, the Node client, the CLI and the web
// UI's bridge all derive from this table and these types, so a side that forgets a change fails
// to compile. The input schemas (core/operations/inputs.ts) are checked against these types.

/** Method and path of every operation. */
export const operationRoutes = {
  health: { method: 'GET', path: '/v1/health' },
  status: { method: 'GET', path: '/v1/status' },
  listSites: { method: 'GET', path: '/v1/sites' },
  addSite: { method: 'POST', path: '/v1/sites' },
  updateSite: { method: 'PATCH', path: '/v1/sites/:id' },
  removeSite: { method: 'DELETE', path: '/v1/sites/:id' },
  setDefaultSite: { method: 'POST', path: '/v1/sites/:id/default' },
  getSession: { method: 'GET', path: '/v1/sites/:id/session' },
  login: { method: 'POST', path: '/v1/sites/:id/login' },
  logout: { method: 'POST', path: '/v1/sites/:id/logout' },
  logoutAll: { method: 'POST', path: '/v1/logout' },
  invalidate: { method: 'POST', path: '/v1/sites/:id/invalidate' },
  activity: { method: 'GET', path: '/v1/activity' },
} as const;

/** The name of an operation. */
export type OperationName = keyof typeof operationRoutes;

/** Routes of the transport itself, not operations: the event stream, tickets for the web UI, and stopping the agent. */
export const transportRoutes = {
  events: { method: 'GET', path: '/v1/events' },
  uiTicket: { method: 'POST', path: '/v1/ui/ticket' },
  stopAgent: { method: 'POST', path: '/v1/agent/stop' },
} as const;

/** Profile fields a caller changes; every one is validated by the engine against the preset's rules. */
export type ProfilePatch = { [F in keyof LoginProfile]?: LoginProfile[F] | undefined };

/** What a caller sends for each operation (`id` goes in the path; the rest in the query or the body). */
export interface OperationRequests {
  health: Record<string, never>;
  status: Record<string, never>;
  listSites: Record<string, never>;
  addSite: { url: string; name?: string; preset?: string; profile?: ProfilePatch; default?: boolean };
  updateSite: { id: string; name?: string; profile?: ProfilePatch };
  removeSite: { id: string };
  setDefaultSite: { id: string };
  /** `wait`: seconds to wait for a renewal or a login (0 answers at once); `prompt`: may a window open. */
  getSession: { id: string; wait?: number; prompt?: boolean };
  /** `timeout`: seconds the person has to finish the login; `browser`: log in this way instead of the profile's. */
  login: { id: string; force?: boolean; timeout?: number; browser?: LoginBrowser };
  /** `everywhere`: also end Latchkey's session at the site's identity provider. */
  logout: { id: string; everywhere?: boolean | undefined };
  logoutAll: { everywhere?: boolean | undefined };
  invalidate: { id: string };
  activity: Record<string, never>;
}

/** Profile fields as the agent receives them: the engine validates each against the preset's rules. */
export type UncheckedProfile = Record<string, unknown>;

/** What the engine's handlers receive: the request checked, with its defaults filled in. */
export type OperationInputs = {
  [N in OperationName]: N extends 'getSession'
    ? { id: string; wait: number; prompt: boolean }
    : N extends 'login'
      ? { id: string; force: boolean; timeout?: number | undefined; browser?: LoginBrowser | undefined }
      : N extends 'addSite' | 'updateSite'
        ? Omit<OperationRequests[N], 'profile'> & { profile?: UncheckedProfile | undefined }
        : OperationRequests[N];
};

/** The result of every operation. */
export interface OperationResults {
  health: { ok: true; version: string; pid: number };
  status: AgentStatus;
  listSites: SiteView[];
  addSite: SiteView;
  updateSite: SiteView;
  removeSite: { removed: string };
  setDefaultSite: SiteView;
  getSession: SessionGrant;
  login: SiteView;
  logout: { site: SiteView; report: LogoutReport };
  logoutAll: { sites: string[]; reports: LogoutReport[] };
  invalidate: SiteView;
  activity: ActivityEntry[];
}

/**
 * The operations the UI may call. `getSession` is left out on purpose: the renderer (in the
 * desktop app or in the agent's web UI) never holds a session value.
 */
export type UiOperationName = Exclude<OperationName, 'getSession'>;

/** The operations the UI may call, as a list (for run-time checks in IPC handlers and the web UI). */
export const uiOperationNames: readonly UiOperationName[] = Object.freeze(
  (Object.keys(operationRoutes) as OperationName[]).filter((name): name is UiOperationName => name !== 'getSession'),
);

/** An operation's outcome as it crosses IPC or the web UI's bridge: errors travel as data, with their codes. */
export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string; hint?: string } };

/**
 * What the React UI sees of the engine: the preload exposes one over IPC in the desktop app, and
 * the web UI builds one over HTTP to the agent. Same components, same operations, same events.
 */
export interface Bridge {
  call<N extends UiOperationName>(name: N, request: OperationRequests[N]): Promise<BridgeResult<OperationResults[N]>>;
  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvent(listener: (event: AgentEvent) => void): () => void;
}
