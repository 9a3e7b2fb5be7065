import { z } from 'zod';
import { operationRoutes, type OperationName } from './routes.ts';
import type { ErrorCode } from '../errors.ts';
import type { SessionState } from '../sessions/session-state.ts';
import type { LoginProfile } from '../sites/site.ts';

// The one declaration of Latchkey's operations (DESIGN.md section 2). The agent's HTTP routes,
// the Electron IPC handlers, the preload Bridge and the CLI's client all derive from this table:
// an operation added or changed here fails to compile wherever a side forgets it.

/** What a site's session looks like to a client that may not see its value. */
export interface SessionSummary {
  state: SessionState;
  user: string | null;
  /** ISO 8601, or null when unknown or when there is no session. */
  expiresAt: string | null;
  obtainedAt: string | null;
}

/** A site as every client sees it: never holds a session value. */
export interface SiteView {
  id: string;
  name: string;
  url: string;
  default: boolean;
  profile: LoginProfile;
  session: SessionSummary;
  /** True while a login for this site is running. */
  loggingIn: boolean;
}

/** A cookie handed to a client. */
export interface GrantCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  expires: number | null;
  httpOnly: boolean;
  secure: boolean;
}

/** The session handed to a script (`GET /v1/sites/:id/session`). */
export interface SessionGrant {
  site: string;
  siteUrl: string;
  user: string | null;
  credential: { kind: 'cookie' | 'bearer' | 'key'; name: string; value: string };
  cookies: GrantCookie[];
  /** Ready-made request headers (`Cookie` or `Authorization`). */
  headers: Record<string, string>;
  expiresAt: string | null;
  obtainedAt: string;
  /** `store`: a valid stored session; `renewed`: a silent renewal; `login`: the person logged in. */
  source: 'store' | 'renewed' | 'login';
}

/** One hand-out of a session. */
export interface ActivityEntry {
  site: string;
  client: string | null;
  time: string;
}

/** What `status` reports about the agent. */
export interface AgentStatus {
  version: string;
  pid: number;
  storage: 'keychain' | 'plaintext' | 'memory';
  /** Why storage is not the keychain, when it is not. */
  storageNote: string | null;
  sites: SiteView[];
}

/** Events pushed to the UI and to `GET /v1/events`. */
export type AgentEvent =
  | { type: 'sites'; sites: SiteView[] }
  | { type: 'session'; site: string; session: SessionSummary }
  | { type: 'login'; site: string; phase: 'started' | 'finished'; ending?: string }
  | { type: 'activity'; entry: ActivityEntry };

const siteId = z.string().min(1).max(64);
const profilePatch = z.record(z.string(), z.unknown());
const booleanText = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((value) => value === true || value === 'true' || value === '1');
const seconds = z.coerce.number().int().min(0).max(3600);

/** Input schemas of every operation; `id` comes from the path, the rest from the query (GET) or the JSON body. */
export const operationSpecs = {
  health: { ...operationRoutes.health, input: z.object({}).strict() },
  status: { ...operationRoutes.status, input: z.object({}).strict() },
  listSites: { ...operationRoutes.listSites, input: z.object({}).strict() },
  addSite: {
    ...operationRoutes.addSite,
    input: z
      .object({
        url: z.string().max(2048),
        name: z.string().max(200).optional(),
        preset: z.string().max(64).optional(),
        profile: profilePatch.optional(),
        default: z.boolean().optional(),
      })
      .strict(),
  },
  updateSite: {
    ...operationRoutes.updateSite,
    input: z.object({ id: siteId, name: z.string().max(200).optional(), profile: profilePatch.optional() }).strict(),
  },
  removeSite: { ...operationRoutes.removeSite, input: z.object({ id: siteId }).strict() },
  setDefaultSite: { ...operationRoutes.setDefaultSite, input: z.object({ id: siteId }).strict() },
  getSession: {
    ...operationRoutes.getSession,
    input: z.object({ id: siteId, wait: seconds.default(0), prompt: booleanText.default(true) }).strict(),
  },
  login: {
    ...operationRoutes.login,
    input: z.object({ id: siteId, force: z.boolean().default(false), timeout: seconds.optional() }).strict(),
  },
  logout: { ...operationRoutes.logout, input: z.object({ id: siteId }).strict() },
  logoutAll: { ...operationRoutes.logoutAll, input: z.object({}).strict() },
  invalidate: { ...operationRoutes.invalidate, input: z.object({ id: siteId }).strict() },
  activity: { ...operationRoutes.activity, input: z.object({}).strict() },
} as const satisfies Record<OperationName, { method: string; path: string; input: z.ZodType }>;

export { operationRoutes, type OperationName } from './routes.ts';

/** The parsed input of an operation. */
export type OperationInput<N extends OperationName> = z.output<(typeof operationSpecs)[N]['input']>;

/** What a caller may send (before defaults are filled in). */
export type OperationRequest<N extends OperationName> = z.input<(typeof operationSpecs)[N]['input']>;

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
  logout: SiteView;
  logoutAll: { sites: string[] };
  invalidate: SiteView;
  activity: ActivityEntry[];
}

/** Who is calling: the client's self-chosen name (`X-Latchkey-Client`), for the activity record. */
export interface Caller {
  client: string | null;
  /** Aborted when the caller goes away (its connection closed), so waiting stops. */
  signal?: AbortSignal;
}

/** The implementation of every operation, called by every shell. */
export type OperationHandlers = {
  [N in OperationName]: (input: OperationInput<N>, caller: Caller) => Promise<OperationResults[N]>;
};

/** The error body every shell returns: only safe fields cross to a client. */
export interface ErrorBody {
  error: { code: ErrorCode | TransportErrorCode; message: string; hint?: string; ending?: string; reason?: string; status?: number };
}

/** Error codes that only the agent's transport produces. */
export type TransportErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'misdirected'
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'headers_too_large'
  | 'timeout'
  | 'unsupported_media_type';
