import { LatchkeyError } from '../common/errors.ts';
import { normaliseSiteUrl } from './site-url.ts';

/** The fields of a site that a reference is matched against (a Site and a SiteView both have them). */
export interface SiteKey {
  id: string;
  name: string;
  url: string;
  default: boolean;
}

/** What a reference names: one site, several (a person must say which), or none. */
export type SiteMatch<T> = { kind: 'one'; site: T } | { kind: 'several'; sites: T[] } | { kind: 'none' };

function decide<T>(matches: readonly T[]): SiteMatch<T> | null {
  const distinct = [...new Set(matches)];
  if (distinct.length === 0) return null;
  return distinct.length === 1 ? { kind: 'one', site: distinct[0] as T } : { kind: 'several', sites: distinct };
}

/**
 * The site a person means by `ref`: `default`, an id, a name, a host or a URL, in that order. A
 * reference that names one site by its id and another by its name, or several sites by their name
 * or their host, names several: guessing would hand one site's session to the other. Pure, so the
 * registry and any client holding a site list resolve a reference the same way.
 */
export function matchSite<T extends SiteKey>(sites: readonly T[], ref: string): SiteMatch<T> {
  const wanted = ref.trim();
  if (wanted === 'default') {
    const site = sites.find((candidate) => candidate.default) ?? (sites.length === 1 ? sites[0] : undefined);
    return site === undefined ? { kind: 'none' } : { kind: 'one', site };
  }
  const lower = wanted.toLowerCase();
  const byId = sites.filter((site) => site.id === lower);
  const byName = sites.filter((site) => site.name.toLowerCase() === lower);
  const byIdOrName = decide([...byId, ...byName]);
  if (byIdOrName !== null) return byIdOrName;
  const byHost = decide(sites.filter((site) => new URL(site.url).host === lower)) ?? decide(sites.filter((site) => new URL(site.url).hostname === lower));
  if (byHost !== null) return byHost;
  let origin: string;
  try {
    origin = new URL(normaliseSiteUrl(wanted, { allowPath: true })).origin;
  } catch {
    return { kind: 'none' };
  }
  return decide(sites.filter((site) => site.url === origin)) ?? { kind: 'none' };
}

/** The one site `ref` names, or `site_not_found` / `site_ambiguous` (listing the sites it matched). */
export function findSite<T extends SiteKey>(sites: readonly T[], ref: string): T {
  const match = matchSite(sites, ref);
  if (match.kind === 'one') return match.site;
  if (match.kind === 'several') {
    const ids = match.sites.map((site) => site.id);
    throw new LatchkeyError('site_ambiguous', `${JSON.stringify(ref)} names more than one site: ${ids.join(', ')}.`, {
      hint: 'Name the site by its URL; `latchkey sites` lists them.',
      details: { candidates: ids },
    });
  }
  const known = sites.map((site) => site.id).join(', ');
  throw new LatchkeyError('site_not_found', ref.trim() === 'default' ? 'No default site is set.' : `No site matches ${JSON.stringify(ref)}.`, {
    hint: known ? `Known sites: ${known}. List them with \`latchkey sites\`.` : 'Add one with `latchkey sites add URL`.',
  });
}
