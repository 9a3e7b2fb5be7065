import { normaliseSiteUrl } from './site-url.ts';

/** The fields of a site that a reference is matched against (a Site and a SiteView both have them). */
export interface SiteKey {
  id: string;
  name: string;
  url: string;
  default: boolean;
}

/**
 * The site a person means by `ref`: `default`, an id, a name, a host or a URL, tried in that order
 * (a name or a host must be unique to count). Pure, so the registry and any client that holds a
 * site list resolve a reference the same way; undefined when nothing matches.
 */
export function lookupSite<T extends SiteKey>(sites: readonly T[], ref: string): T | undefined {
  const wanted = ref.trim();
  if (wanted === 'default') return sites.find((site) => site.default) ?? (sites.length === 1 ? sites[0] : undefined);
  const lower = wanted.toLowerCase();
  const byId = sites.find((site) => site.id === lower);
  if (byId) return byId;
  const byName = sites.filter((site) => site.name.toLowerCase() === lower);
  if (byName.length === 1) return byName[0];
  const byHost = sites.filter((site) => new URL(site.url).host === lower || new URL(site.url).hostname === lower);
  if (byHost.length === 1) return byHost[0];
  let origin: string;
  try {
    origin = new URL(normaliseSiteUrl(wanted, { allowPath: true })).origin;
  } catch {
    return undefined;
  }
  return sites.find((site) => site.url === origin);
}
