import type { SessionGrant } from '../core/operations/contract.ts';
import { isAgentError } from './client/agent-error.ts';
import type { AgentClient } from './client/agent-client.ts';
import { siteIdFor, siteRefFrom } from './client/site-ref.ts';
import type { CommandDeps } from './command-context.ts';
import { sessionFromEnv, type HandedSession } from './env-session.ts';
import type { SessionFlags } from './session-flags.ts';

/** A session ready to use, and (when it came from the agent) how to ask for another. */
export interface AcquiredSession {
  session: HandedSession;
  /** The agent and the site's path id, or null for a session from `LATCHKEY_SESSION`. */
  agent: { client: AgentClient; siteId: string } | null;
}

function describeSite(siteId: string): string {
  return siteId === 'default' ? 'the default site' : siteId;
}

/**
 * Asks the agent for a site's session: first without waiting, so progress is shown only when a
 * renewal or a login is really needed; then, when allowed to wait, once more for up to `wait` s.
 */
export async function fetchSession(client: AgentClient, siteId: string, flags: SessionFlags, deps: CommandDeps): Promise<SessionGrant> {
  const call = { signal: deps.signal };
  try {
    return await client.call('getSession', { id: siteId, wait: 0, prompt: flags.prompt }, call);
  } catch (error) {
    if (!isAgentError(error, 'login_required') || flags.wait === 0) throw error;
  }
  deps.stderr.write(
    flags.prompt
      ? `Waiting for the login to ${describeSite(siteId)} in the browser window (up to ${flags.wait} s)…\n`
      : `Waiting for a silent renewal of the session of ${describeSite(siteId)} (up to ${flags.wait} s)…\n`,
  );
  return client.call('getSession', { id: siteId, wait: flags.wait, prompt: flags.prompt }, call);
}

/**
 * The session a session command uses: `LATCHKEY_SESSION` when set (no agent needed), else the
 * agent's for SITE. The caller closes `agent.client` when done.
 */
export async function acquireSession(site: string | null, flags: SessionFlags, deps: CommandDeps, verb: string): Promise<AcquiredSession> {
  const fromEnv = sessionFromEnv(deps.env);
  if (fromEnv !== null) return { session: fromEnv, agent: null };
  const client = await deps.connect(`latchkey ${verb}`);
  try {
    const siteId = await siteIdFor(client, siteRefFrom(site, deps.env), { signal: deps.signal });
    return { session: await fetchSession(client, siteId, flags, deps), agent: { client, siteId } };
  } catch (error) {
    client.close();
    throw error;
  }
}
