import type { LoginProfile } from './profile.ts';

// What the agent hands to its clients: the wire shapes of docs/ARCHITECTURE.md, "The agent API".
// Every client (CLI, Node client, renderer) reads these types; none declares its own.

/** A site's session state. */
export type SessionState = 'valid' | 'expired' | 'invalid' | 'none';

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
  /** Unix seconds, or null for a cookie that lives as long as the browser session. */
  expires: number | null;
  httpOnly: boolean;
  secure: boolean;
}

/** The primary credential a client presents to the site. */
export interface Credential {
  kind: 'cookie' | 'bearer' | 'key';
  /** Cookie name, header name or query parameter name. */
  name: string;
  value: string;
}

/** The session handed to a script (`GET /v1/sites/:id/session`). */
export interface SessionGrant {
  site: string;
  siteUrl: string;
  user: string | null;
  credential: Credential;
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

/** How sessions rest: encrypted by the OS keychain, in a file only the user reads, or in memory. */
export type StorageKind = 'keychain' | 'keyring' | 'plaintext' | 'memory';

/** What `status` reports about the agent. */
export interface AgentStatus {
  version: string;
  pid: number;
  storage: StorageKind;
  /** Why storage is not the keychain, when it is not. */
  storageNote: string | null;
  sites: SiteView[];
}

/** Events pushed to the UI (IPC) and to `GET /v1/events` (Server-Sent Events): one type for every channel. */
export type AgentEvent =
  | { type: 'sites'; sites: SiteView[] }
  | { type: 'session'; site: string; session: SessionSummary }
  | { type: 'login'; site: string; phase: 'started' | 'finished'; ending?: string }
  /**
   * A login under way needs the person outside Latchkey's window: the page to open (already opened
   * in their browser where the agent could) and, for a device login, the code to type there. Sent
   * again to each new subscriber while the login runs; the login's `finished` event ends it.
   */
  | { type: 'loginPrompt'; site: string; url: string; userCode: string | null; expiresAt: string | null }
  | { type: 'activity'; entry: ActivityEntry };

/** One thing a logout tried to end beyond this machine. */
export interface LogoutStep {
  /** `site_logout`: the site's logout path; `token_revocation`: the provider's tokens (RFC 7009); `provider_session`: Latchkey's session at the identity provider. */
  step: 'site_logout' | 'token_revocation' | 'provider_session';
  ok: boolean;
  /** What was done, or why it could not be: safe to show. */
  detail: string;
}

/** What a logout of one site ended: the local session always; beyond it, each step tried. */
export interface LogoutReport {
  site: string;
  steps: LogoutStep[];
  /** True when nothing was ended beyond this machine (nothing to end, or every step failed). */
  localOnly: boolean;
}

/** The agent's answer on the web UI ticket route. */
export interface UiTicketReply {
  url: string;
  expiresAt: string;
}

/** The agent's answer on the stop route: it stops once this is sent. */
export interface StopAgentReply {
  stopping: true;
  pid: number;
}
