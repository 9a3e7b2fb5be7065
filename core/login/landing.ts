// Deciding that a login has landed is the security boundary of cookie and query logins (docs/ARCHITECTURE.md
// section 3): everything here parses with WHATWG `URL`, the parser the browser itself uses to
// decide where it navigates, and compares parsed parts exactly; never `startsWith`/`includes`.

// A committed URL is serialised by the browser and never carries raw whitespace or control
// characters. `URL` would silently drop tabs and newlines (`/auth/land\ting` → `/auth/landing`),
// so a string holding them did not come from a commit, and it is refused rather than cleaned.
const WHITESPACE_OR_CONTROL = /[\u0000-\u0020\u007f]/;

/**
 * Parses `text` as a web URL that can belong to a site: http or https only, no credentials.
 * Every other scheme is refused outright, including the ones whose `URL.origin` copies an inner
 * URL's (`blob:https://site/…`) and the ones that are never a site's page (`data:`,
 * `view-source:`, `javascript:`, `about:`, `filesystem:`, `chrome-error:`).
 */
function parseWebUrl(text: string): URL | null {
  if (WHITESPACE_OR_CONTROL.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  // `https://site@evil.com` is evil.com; `https://user@site` is the site, but the browser never
  // commits a URL with credentials in a login, so such a string is not one it reported.
  if (url.username !== '' || url.password !== '') return null;
  return url;
}

/** True when `path` resolves on `origin` to itself: same origin, same pathname, nothing else. */
function isParsedPath(path: string, origin: string): boolean {
  try {
    const url = new URL(path, origin);
    return url.origin === origin && url.pathname === path && url.href === origin + path;
  } catch {
    return false;
  }
}

/** True when `a` and `b` are both http(s) URLs without credentials, with the same scheme, host and port. */
export function sameOrigin(a: string, b: string): boolean {
  const left = parseWebUrl(a);
  const right = parseWebUrl(b);
  // `URL.origin` lower-cases the host, punycodes IDNs and drops the scheme's default port.
  return left !== null && right !== null && left.origin === right.origin;
}

/**
 * True only when `candidate` is the site's landing page: the site's exact scheme, host and port,
 * and a pathname exactly `landingPath` (any query and fragment are ignored).
 *
 * The pathname is compared after `URL` parsing, which is what the browser commits: dot segments
 * (`/auth/./landing`, `/auth/%2e/landing`) are resolved and backslashes read as slashes, so those
 * spellings are the landing page, as they are to the browser. Nothing else is equated: the path is
 * case-sensitive (`/Auth/Landing` is not landing), percent-escapes are not decoded
 * (`/auth/%6Canding`, `/auth%2Flanding` are not landing), and `/auth//landing`, `/auth/landing/`
 * are other paths. The host is compared as parsed: case-insensitive, IDNs in punycode, and a
 * trailing dot (`site.example.com.`) is another origin to the browser, so not the site.
 */
export function isLandingUrl(candidate: string, site: { url: string }, landingPath: string): boolean {
  const siteUrl = parseWebUrl(site.url);
  if (siteUrl === null) throw new TypeError(`isLandingUrl needs a site URL, got ${JSON.stringify(site.url)}`);
  // A landing path that is not already in parsed form could never equal a parsed pathname; that is
  // a profile the validation should have refused, so say so instead of timing out every login.
  if (!isParsedPath(landingPath, siteUrl.origin)) {
    throw new TypeError(`isLandingUrl needs a landing path in parsed form, got ${JSON.stringify(landingPath)}`);
  }
  const url = parseWebUrl(candidate);
  return url !== null && url.origin === siteUrl.origin && url.pathname === landingPath;
}
