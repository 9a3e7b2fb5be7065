import type { SessionGrant, SiteView } from '../../core/common/views.ts';
import { connectAgent, type AgentClient, type CallOptions, type ConnectOptions } from './agent-client.ts';
import { promptAllowedBy, siteIdFor, siteRefFrom } from './site-ref.ts';

/** Options of getSession. */
export interface GetSessionOptions extends ConnectOptions, CallOptions {
  /** Seconds to wait for a renewal or a login (0 to 3600; default 300). 0 answers at once. */
  wait?: number;
  /** May a login window open? Default true, or false when `LATCHKEY_NO_PROMPT=1`. */
  prompt?: boolean;
}

/** The seconds the command line and getSession wait for a login by default (docs/ARCHITECTURE.md, "The command line"). */
export const defaultWaitSeconds = 300;

async function withClient<T>(options: ConnectOptions, work: (client: AgentClient) => Promise<T>): Promise<T> {
  const client = await connectAgent(options);
  try {
    return await work(client);
  } finally {
    client.close();
  }
}

/**
 * A valid session for a site (an id, name, host or URL; default `LATCHKEY_SITE`, else the default
 * site): the stored one, a silent renewal, or, when prompting is allowed, a login in a window,
 * waited for up to `wait` seconds. Rejects with a LatchkeyError: `login_required`, `login_timeout`,
 * `login_cancelled`, `login_failed`, `site_not_found`, `agent_not_running`, …
 */
export function getSession(site?: string, options: GetSessionOptions = {}): Promise<SessionGrant> {
  const env = options.env ?? process.env;
  const call = options.signal ? { signal: options.signal } : {};
  return withClient(options, async (client) =>
    client.call(
      'getSession',
      {
        id: await siteIdFor(client, siteRefFrom(site, env), call),
        wait: options.wait ?? defaultWaitSeconds,
        prompt: options.prompt ?? promptAllowedBy(env),
      },
      call,
    ),
  );
}

/**
 * Tells the agent that the site rejected its session (a 401): the session is marked invalid and a
 * silent renewal starts, so the next getSession answers with a new one.
 */
export function invalidateSession(site?: string, options: ConnectOptions & CallOptions = {}): Promise<SiteView> {
  const env = options.env ?? process.env;
  const call = options.signal ? { signal: options.signal } : {};
  return withClient(options, async (client) => client.call('invalidate', { id: await siteIdFor(client, siteRefFrom(site, env), call) }, call));
}
