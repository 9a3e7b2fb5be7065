/** Ids never given to a site: the agent API says `default` to mean "the default site". */
export const reservedSiteIds: ReadonlySet<string> = new Set(['default']);

// Long enough for any real first label, short enough to type in a command line.
const MAX_BASE_LENGTH = 40;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, MAX_BASE_LENGTH)
    .replace(/^-+|-+$/g, '');
}

/**
 * The id a site would get before it is made unique: the host's first label (`studio.example.com`
 * → `studio`); an IP address is kept whole, because its first part (`127`) says nothing; a
 * non-default port is appended, since two ports on one host are two sites.
 */
function baseId(url: URL): string {
  const host = url.hostname;
  let base: string;
  if (host.startsWith('[')) {
    base = `ipv6-${slug(host.slice(1, -1))}`.replace(/-+$/, '');
  } else if (IPV4.test(host)) {
    base = slug(host);
  } else {
    // Punycode labels (`xn--bcher-kva`) are kept as they are: already `[a-z0-9-]`, and stable.
    base = slug(host.split('.')[0] ?? '');
  }
  if (base === '') base = 'site';
  return url.port === '' ? base : `${base}-${url.port}`;
}

/**
 * A stable slug id for the site at `url` (a normalised site URL), unique among `taken`: the host's
 * first label, then `-2`, `-3`… when that is taken; never a reserved id such as `default`.
 */
export function siteIdFor(url: string, taken: Iterable<string>): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`siteIdFor needs a site URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.hostname === '') throw new TypeError(`siteIdFor needs a URL with a host, got ${JSON.stringify(url)}`);
  const base = baseId(parsed);
  const used = new Set([...taken].map((id) => id.toLowerCase()));
  const free = (id: string): boolean => !used.has(id) && !reservedSiteIds.has(id);
  if (free(base)) return base;
  for (let n = 2; ; n += 1) {
    const candidate = `${base}-${n}`;
    if (free(candidate)) return candidate;
  }
}
