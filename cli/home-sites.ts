import { readFileSync } from 'node:fs';
import { homePaths, latchkeyHome } from '../core/home.ts';
import type { SiteKey } from '../core/sites/site-lookup.ts';

// A real site list is a few kilobytes per site.
const maxBytes = 4 * 1024 * 1024;

/**
 * The sites registered in the home, read from its site list without an agent (for `status` and
 * `sites` while none runs): ids, names, URLs and the default, never a session. Null when there is
 * no readable list; sites whose fields are not what they should be are skipped.
 */
export function readHomeSites(env: NodeJS.ProcessEnv): SiteKey[] | null {
  let parsed: unknown;
  try {
    const bytes = readFileSync(homePaths(latchkeyHome(env)).sites);
    if (bytes.length > maxBytes) return null;
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  const sites = (parsed as { sites?: unknown } | null)?.sites;
  if (!Array.isArray(sites)) return null;
  return sites.flatMap((site: unknown): SiteKey[] => {
    const { id, name, url, default: isDefault } = (site ?? {}) as Record<string, unknown>;
    return typeof id === 'string' && typeof name === 'string' && typeof url === 'string' && typeof isDefault === 'boolean'
      ? [{ id, name, url, default: isDefault }]
      : [];
  });
}
