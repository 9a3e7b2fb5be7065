import { lookupSite } from '../../core/sites/site-lookup.ts';
import { AgentError } from './agent-error.ts';
import type { AgentClient, CallOptions } from './agent-client.ts';

/** The site a caller means: the one it names, else `LATCHKEY_SITE`, else the agent's default site. */
export function siteRefFrom(site: string | null | undefined, env: NodeJS.ProcessEnv): string {
  const chosen = site ?? env['LATCHKEY_SITE'];
  return chosen !== undefined && chosen.trim() !== '' ? chosen.trim() : 'default';
}

/**
 * What to put in the path for a site reference. An id, a name or a host goes as it is and the
 * agent resolves it; a URL cannot (the agent refuses `/` in a path segment, so that no id can walk
 * a path), so it is matched here against the agent's site list by the same rules.
 */
export async function siteIdFor(client: AgentClient, ref: string, options: CallOptions = {}): Promise<string> {
  if (!/[/\\]/.test(ref)) return ref;
  const site = lookupSite(await client.call('listSites', {}, options), ref);
  if (site) return site.id;
  throw new AgentError('site_not_found', `No site matches ${JSON.stringify(ref)}.`, {
    hint: 'Run `latchkey sites` to list the sites, or `latchkey sites add URL` to add one.',
  });
}

/** False when `LATCHKEY_NO_PROMPT` asks that no login window ever opens. */
export function promptAllowedBy(env: NodeJS.ProcessEnv): boolean {
  const value = (env['LATCHKEY_NO_PROMPT'] ?? '').trim().toLowerCase();
  return !['1', 'true', 'yes', 'on'].includes(value);
}
