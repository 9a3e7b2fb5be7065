import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomicSync } from '../atomic-write.ts';
import * as z from 'zod/mini';
import '../validation.ts';
import { deepFreeze } from '../common/deep-freeze.ts';
import { LatchkeyError } from '../common/errors.ts';
import { newSite, type NewSiteInput } from './new-site.ts';
import { profileFromPreset } from './presets.ts';
import type { LoginProfile } from '../common/profile.ts';
import type { Site } from './site.ts';
import { homePaths } from '../home.ts';
import { findSite } from './site-lookup.ts';

interface StoredSites {
  version: 1;
  sites: Site[];
}

const storedSites = z.object({
  version: z.literal(1),
  sites: z.array(
    z.object({
      id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/)),
      name: z.string(),
      url: z.string(),
      default: z.boolean(),
      profile: z.record(z.string(), z.unknown()),
    }),
  ),
});


/** What may change on a registered site. */
export interface SitePatch {
  name?: string;
  profile?: Partial<LoginProfile>;
}

/** What identifies one version of the site file: a write elsewhere (another host's agent, on a shared home) changes it. */
function fileStamp(path: string): string {
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  } catch {
    return 'none';
  }
}

/** The stored form of the site list, or the empty list when there is no file yet. */
function readSiteFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, sites: [] };
    throw new LatchkeyError('store_failed', `The site list ${path} cannot be read.`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The registered sites, kept in `<home>/sites.json` (0600, written atomically). The list is the
 * person's, shared by every host of a shared home: each use looks at the file's stamp first and
 * reads it again when another agent has written it since.
 */
export class SiteRegistry {
  readonly #path: string;
  // Handed out frozen: lookups on the hot path need no copy, and no caller can change a site
  // behind the registry's back.
  #sites: Site[];
  #stamp: string;
  readonly #listeners = new Set<(before: readonly Site[], after: readonly Site[]) => void>();

  constructor(home: string) {
    this.#path = homePaths(home).sites;
    this.#stamp = fileStamp(this.#path);
    this.#sites = this.#read().map(deepFreeze);
  }

  /** Called with the list before and after, when a use finds the file written elsewhere. */
  onChangedElsewhere(listener: (before: readonly Site[], after: readonly Site[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The current list: read again when the file is not the one this registry last read or wrote. */
  #current(): Site[] {
    const stamp = fileStamp(this.#path);
    if (stamp === this.#stamp) return this.#sites;
    const before = this.#sites;
    // A file spoiled elsewhere throws here, at every use, until it is mended: never the old list in silence.
    this.#sites = this.#read().map(deepFreeze);
    this.#stamp = stamp;
    for (const listener of [...this.#listeners]) listener(before, this.#sites);
    return this.#sites;
  }

  #read(): Site[] {
    const parsed = storedSites.safeParse(readSiteFile(this.#path));
    if (!parsed.success) {
      throw new LatchkeyError('store_corrupt', `The site list ${this.#path} is not valid.`, {
        hint: 'Move the file aside and add the sites again with `latchkey sites add URL`.',
      });
    }
    // Profiles go through the preset validation again, so a hand-edited file cannot smuggle in a bad path.
    return parsed.data.sites.map((site) => ({
      ...site,
      profile: profileFromPreset(String(site.profile['preset'] ?? 'shotgrid'), site.profile as Partial<LoginProfile>),
    }));
  }

  #write(sites: Site[]): void {
    const stored: StoredSites = { version: 1, sites };
    mkdirSync(dirname(this.#path), { recursive: true, mode: 0o700 });
    // Synchronous, so a change is on disk before the caller is told it is done (core/atomic-write.ts).
    writeFileAtomicSync(this.#path, JSON.stringify(stored, null, 2) + '\n', 0o600);
    this.#sites = sites.map(deepFreeze);
    this.#stamp = fileStamp(this.#path);
  }

  /** Every site, in the order they were added (frozen: no caller changes a site behind the registry's back). */
  list(): Site[] {
    return [...this.#current()];
  }

  /**
   * Finds a site by what a person types: `default`, an id, a name, a host or a URL.
   * Throws `site_not_found` with the known ids, or `site_ambiguous` naming the sites it matches.
   */
  find(ref: string): Site {
    return findSite(this.#current(), ref);
  }

  /** Registers a site; when it is the default, the old default stops being one. */
  add(input: NewSiteInput): Site {
    const sites = this.#current();
    const site = newSite(input, sites);
    const others = site.default ? sites.map((other) => ({ ...other, default: false })) : sites;
    this.#write([...others, site]);
    return this.find(site.id);
  }

  /** Changes a site's name or profile fields; the profile is validated again as a whole. */
  update(id: string, patch: SitePatch): Site {
    const current = this.find(id);
    const next: Site = {
      ...current,
      name: patch.name === undefined ? current.name : newSite({ url: current.url, name: patch.name }, []).name,
      profile: patch.profile === undefined
        ? current.profile
        : profileFromPreset(current.profile.preset ?? 'shotgrid', { ...current.profile, ...patch.profile }),
    };
    this.#write(this.#sites.map((site) => (site.id === current.id ? next : site)));
    return this.find(next.id);
  }

  /** Removes a site; if it was the default, the first remaining site becomes the default. */
  remove(id: string): Site {
    const current = this.find(id);
    const rest = this.#sites.filter((site) => site.id !== current.id);
    if (current.default && rest[0]) rest[0] = { ...rest[0], default: true };
    this.#write(rest);
    return current;
  }

  /** Makes one site the default. */
  setDefault(id: string): Site {
    const current = this.find(id);
    this.#write(this.#sites.map((site) => ({ ...site, default: site.id === current.id })));
    return this.find(current.id);
  }
}
