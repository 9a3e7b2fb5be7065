import { LatchkeyError } from '../common/errors.ts';

/** Options for normaliseSiteUrl. */
export interface NormaliseSiteUrlOptions {
  /** Keep a base path (e.g. `https://host/shotgrid`) instead of refusing it. */
  allowPath?: boolean;
}

// A scheme (RFC 3986 section 3.1) followed by a colon that does not start a port number: this is
// how `https://host` and `mailto:x` are told apart from a bare `localhost:3000`. It only decides
// whether to supply the default scheme; the URL itself is always parsed by WHATWG `URL`.
const SCHEME = /^[a-z][a-z0-9+.-]*:(?!\d+(?:[/?#]|$))/i;
// After a given scheme, an authority with no host in it (`https://`, `https://:8443`, `http://?x`).
const EMPTY_AUTHORITY = /^[a-z][a-z0-9+.-]*:[/\\]*(?![/\\])(?:[:?#]|$)/i;
// WHATWG `URL` silently drops tabs and newlines inside a URL; a site URL is typed once and stored
// for good, so anything it would silently discard is refused instead of guessed at.
const WHITESPACE_OR_CONTROL = /[\u0000-\u0020\u007f-\u00a0\u2028\u2029]/;
// What may remain in a domain name once `URL` has lower-cased and punycoded it. The underscore is
// kept because some intranet host names use it.
const DOMAIN_CHARS = /^[a-z0-9_-]+$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function invalid(input: string, problem: string, hint: string): LatchkeyError {
  return new LatchkeyError('invalid_site_url', `Site URL ${JSON.stringify(input)} ${problem}.`, { hint });
}

/**
 * Canonical lower-case form of a bare host name or address (`LOCALHOST` → `localhost`, `127.1` →
 * `127.0.0.1`, `::1` → `[::1]`), or null when `hostname` is not a host on its own.
 */
function canonicalHost(hostname: string): string | null {
  // Reject anything that would make `URL` read more than a host (`evil.com@localhost`, `localhost/x`,
  // `localhost:80`): only an IPv6 literal may hold a colon, and only inside its brackets.
  const bracketed = /^\[[0-9a-f:.]+\]$/i.test(hostname) ? hostname : null;
  const bareIpv6 = /^[0-9a-f:.]+$/i.test(hostname) && hostname.includes(':') ? `[${hostname}]` : null;
  const host = bracketed ?? bareIpv6 ?? hostname;
  if (bracketed === null && bareIpv6 === null && /[\s/\\?#@:[\]%]/.test(hostname)) return null;
  if (host === '') return null;
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
}

/**
 * True for the hosts where plain http is allowed: `localhost`, `*.localhost`, `127.0.0.0/8` and
 * `[::1]` (RFC 6761 section 6.3 reserves `.localhost` for loopback; browsers treat them all as
 * secure contexts). IPv4-mapped forms such as `[::ffff:127.0.0.1]` are deliberately not included.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = canonicalHost(hostname);
  if (host === null) return false;
  if (host === '[::1]') return true;
  const ipv4 = IPV4.exec(host);
  if (ipv4 !== null) return ipv4[1] === '127';
  // Label comparison, not a suffix test: `localhost.evil.com` ends in `evil.com`, and a trailing
  // dot (`localhost.`) leaves an empty last label, so both are refused.
  return host.split('.').at(-1) === 'localhost';
}

/**
 * Normalises a site URL to its origin, or throws `invalid_site_url` naming the problem.
 *
 * Scheme and host are lower-cased, IDN hosts become punycode (the form the browser's origin and
 * cookies use), IPv4 shorthands become dotted quads (`127.1` → `127.0.0.1`), the default port is
 * dropped and other ports kept. A bare host (`studio.example.com`, `studio.example.com:8443`)
 * means https, as people type it; write `http://` explicitly for a loopback development server.
 * Surrounding whitespace from a paste is trimmed. A path other than `/` is refused unless
 * `allowPath`, which keeps it without its trailing slash. A trailing dot on the host is refused.
 */
export function normaliseSiteUrl(input: string, options: NormaliseSiteUrlOptions = {}): string {
  const text = input.trim();
  if (text === '') {
    throw invalid(input, 'is empty', 'Give the address of the site, e.g. https://studio.example.com.');
  }
  if (WHITESPACE_OR_CONTROL.test(text)) {
    throw invalid(input, 'contains spaces or control characters', 'Remove them; a site URL is only a scheme, a host and an optional port.');
  }
  const hasScheme = SCHEME.test(text);
  // A bare host that starts with a separator (`/studio`, `:8443`) would be read by `URL` as
  // `https:///studio`, i.e. host `studio`: that is a path or a port without a host, not a host.
  if (!hasScheme && /^[/\\:?#]/.test(text)) {
    throw invalid(input, 'has no host', 'Give the host name, e.g. https://studio.example.com.');
  }
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `https://${text}`);
  } catch (error) {
    if (hasScheme && EMPTY_AUTHORITY.test(text)) {
      throw invalid(input, 'has no host', 'Give the host name, e.g. https://studio.example.com.');
    }
    throw new LatchkeyError('invalid_site_url', `Site URL ${JSON.stringify(input)} is not a valid URL.`, {
      hint: 'Write it as https://host or https://host:port.',
      cause: error,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(input, `uses the scheme ${JSON.stringify(url.protocol.slice(0, -1))}; only https is supported`, 'Write it as https://host (http:// is allowed only for localhost and 127.0.0.1).');
  }
  if (url.username !== '' || url.password !== '') {
    // `https://studio.example.com@evil.com` is a login name for evil.com: the classic look-alike.
    throw invalid(input, 'contains a user name or password', 'Remove the part before "@"; Latchkey never puts credentials in URLs.');
  }
  checkHost(input, url.hostname);
  if (url.port === '0') {
    throw invalid(input, 'has port 0', 'Give the port the site listens on, or none for the default.');
  }
  // `URL` reports an absent and an empty query (or fragment) alike as '', so clear it on a copy and
  // see whether the serialisation changes: that catches a bare `?` or `#` too.
  if (withCleared(url, 'search').href !== url.href) {
    throw invalid(input, 'has a query ("?...")', 'Remove everything from "?" on.');
  }
  if (withCleared(url, 'hash').href !== url.href) {
    throw invalid(input, 'has a fragment ("#...")', 'Remove everything from "#" on.');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw invalid(input, `uses http for ${url.hostname}, which is not a loopback host`, 'Use https://; plain http is allowed only for localhost, *.localhost, 127.0.0.0/8 and [::1].');
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path !== '' && options.allowPath !== true) {
    throw invalid(input, `has a path (${JSON.stringify(url.pathname)})`, 'Give only the scheme, host and port, e.g. https://studio.example.com.');
  }
  return url.origin + path;
}

/** Refuses host names that `URL` accepts but that name no reachable site, or name it twice. */
function checkHost(input: string, hostname: string): void {
  if (hostname.startsWith('[')) return; // an IPv6 literal, already validated by `URL`
  const labels = hostname.split('.');
  if (labels.at(-1) === '') {
    // `example.com.` is the same DNS name as `example.com`, but a different origin to the browser
    // (cookies, origin checks), so accepting both would register one site under two origins.
    throw invalid(input, 'ends with a dot', `Write the host without the trailing dot, as ${JSON.stringify(hostname.replace(/\.+$/, ''))}.`);
  }
  if (labels.includes('')) {
    throw invalid(input, 'has an empty label in its host (".." or a leading ".")', 'Check the host name for a stray dot.');
  }
  if (IPV4.test(hostname)) return;
  if (!labels.every((label) => DOMAIN_CHARS.test(label))) {
    throw invalid(input, 'has characters that are not allowed in a host name', 'Use letters, digits, "-" and "." only.');
  }
  // A single word is far more often a typo (`latchkey sites add studio`) than a site: a site has a
  // full name with a dot, unless it is this machine (`localhost`).
  if (labels.length === 1 && hostname !== 'localhost') {
    throw invalid(input, `names the host ${JSON.stringify(hostname)}, which is not a full host name`, `Give the site's full address, e.g. https://${hostname}.example.com (a host name with a dot, localhost, or an IP address).`);
  }
}

function withCleared(url: URL, part: 'search' | 'hash'): URL {
  const copy = new URL(url.href);
  copy[part] = '';
  return copy;
}
