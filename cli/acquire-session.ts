import { hasCode } from '../core/common/errors.ts';
import type { SessionGrant } from '../core/common/views.ts';
import { normaliseSiteUrl } from '../core/sites/site-url.ts';
import type { AgentClient } from './client/agent-client.ts';
import { lookupSiteOrThrow, siteIdFor, siteRefFrom } from './client/site-ref.ts';
import type { CommandDeps } from './deps.ts';
import { sessionFromEnv, type HandedSession } from './env-session.ts';
import type { SessionFlags } from './session-flags.ts';
import { followLoginPrompts } from './login-prompts.ts';

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
    if (!hasCode(error, 'login_required') || flags.wait === 0) throw error;
  }
  deps.stderr.write(
    flags.prompt
      ? `Waiting for the login to ${describeSite(siteId)} (up to ${flags.wait} s)…\n`
      : `Waiting for a silent renewal of the session of ${describeSite(siteId)} (up to ${flags.wait} s)…\n`,
  );
  // A login in the person's own browser or with a device code shows its page (and code) here.
  const stopFollowing = flags.prompt ? await followLoginPrompts(client, siteId, deps) : null;
  try {
    return await client.call('getSession', { id: siteId, wait: flags.wait, prompt: flags.prompt }, call);
  } finally {
    stopFollowing?.();
  }
}

/** True when `ref` names the site at `siteUrl` by its URL or its host, without asking anyone. */
function namesUrl(ref: string, siteUrl: string): boolean {
  const { host, hostname } = new URL(siteUrl);
  const lower = ref.trim().toLowerCase();
  if (lower === host || lower === hostname) return true;
  try {
    return new URL(normaliseSiteUrl(ref, { allowPath: true })).origin === siteUrl;
  } catch {
    return false;
  }
}

/**
 * The session a session command uses. `LATCHKEY_SESSION` serves only the site that
 * `LATCHKEY_SITE_URL` names (docs/ARCHITECTURE.md, "Security model"): a command that names no
 * site uses it; a command for a site is given it only when that site is the one it names (by URL
 * or host, or by the agent's site list for an id or a name); any other site's session comes from
 * the agent, so one site's credential never goes to another. The caller closes `agent.client`.
 */
export async function acquireSession(site: string | null, flags: SessionFlags, deps: CommandDeps, verb: string): Promise<AcquiredSession> {
  const fromEnv = sessionFromEnv(deps.env);
  const ref = siteRefFrom(site, deps.env);
  if (fromEnv !== null && (ref === 'default' || (fromEnv.siteUrl !== null && namesUrl(ref, fromEnv.siteUrl)))) return { session: fromEnv, agent: null };
  const client = await deps.connect(`latchkey ${verb}`);
  try {
    const call = { signal: deps.signal };
    let siteId: string;
    if (fromEnv === null) {
      // The agent resolves the reference itself: no site list to fetch first.
      siteId = await siteIdFor(client, ref, call);
    } else {
      const found = await lookupSiteOrThrow(client, ref, call);
      if (found.url === fromEnv.siteUrl) {
        client.close();
        return { session: fromEnv, agent: null };
      }
      siteId = found.id;
    }
    return { session: await fetchSession(client, siteId, flags, deps), agent: { client, siteId } };
  } catch (error) {
    client.close();
    throw error;
  }
}
