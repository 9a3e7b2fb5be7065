import type { SiteView } from '../../core/common/views.ts';
import { findSite } from '../../core/sites/site-lookup.ts';
import type { AgentClient, CallOptions } from './agent-client.ts';

/** The site a caller means: the one it names, else `LATCHKEY_SITE`, else the agent's default site. */
export function siteRefFrom(site: string | null | undefined, env: NodeJS.ProcessEnv): string {
  const chosen = site ?? env['LATCHKEY_SITE'];
  return chosen !== undefined && chosen.trim() !== '' ? chosen.trim() : 'default';
}

/** The site `ref` names among the agent's sites, by the agent's own rules (site-lookup.ts). */
export async function lookupSiteOrThrow(client: AgentClient, ref: string, options: CallOptions = {}): Promise<SiteView> {
  return findSite(await client.call('listSites', {}, options), ref);
}

/**
 * What to put in the path for a site reference. An id, a name or a host goes as it is and the
 * agent resolves it; a URL cannot (the agent refuses `/` in a path segment, so that no id can walk
 * a path), so it is matched here against the agent's site list by the same rules.
 */
export async function siteIdFor(client: AgentClient, ref: string, options: CallOptions = {}): Promise<string> {
  if (!/[/\\]/.test(ref)) return ref;
  return (await lookupSiteOrThrow(client, ref, options)).id;
}

/** False when `LATCHKEY_NO_PROMPT` asks that no login window ever opens. */
export function promptAllowedBy(env: NodeJS.ProcessEnv): boolean {
  const value = (env['LATCHKEY_NO_PROMPT'] ?? '').trim().toLowerCase();
  return !['1', 'true', 'yes', 'on'].includes(value);
}
