import { registerSecret } from '../core/secrets.ts';
import type { GrantCookie, SessionGrant } from '../core/common/views.ts';
import { normaliseSiteUrl } from '../core/sites/site-url.ts';
import { LatchkeyError } from '../core/common/errors.ts';

/** A session as the commands use it: one handed out by the agent, or one given in the environment. */
export interface HandedSession {
  /** The site id, or null for a session from the environment. */
  site: string | null;
  /** The site's origin, or null when the environment does not name it. */
  siteUrl: string | null;
  user: string | null;
  credential: SessionGrant['credential'];
  cookies: GrantCookie[];
  headers: Record<string, string>;
  expiresAt: string | null;
  obtainedAt: string | null;
  source: SessionGrant['source'] | 'env';
}

const kinds = ['cookie', 'bearer', 'key'] as const;
const defaultCookieName = '_session_id';
/** The query-key preset's parameter: a key credential is sent in the query under its name. */
const defaultKeyName = 'SessionKey';

function parseCookieHeader(header: string, domain: string, secure: boolean): GrantCookie[] {
  return header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.includes('='))
    .map((part) => {
      const at = part.indexOf('=');
      return { name: part.slice(0, at).trim(), value: part.slice(at + 1).trim(), domain, path: '/', expires: null, httpOnly: true, secure };
    });
}

/**
 * The session given by `LATCHKEY_SESSION` (for CI, like `GH_TOKEN`), or null when it is not set.
 * `LATCHKEY_SESSION_KIND` says how it is sent (`cookie`, the default since Latchkey's sites use
 * session cookies, `bearer` or `key`), `LATCHKEY_SESSION_NAME` the cookie's name (default
 * `_session_id`) or the key's query parameter (default `SessionKey`), `LATCHKEY_COOKIE` the whole
 * Cookie header when more than one cookie is needed, and `LATCHKEY_SITE_URL` the site (required
 * by the commands that call it).
 */
export function sessionFromEnv(env: NodeJS.ProcessEnv): HandedSession | null {
  const value = env['LATCHKEY_SESSION'];
  if (value === undefined || value === '') return null;
  registerSecret(value);
  const kind = (env['LATCHKEY_SESSION_KIND'] || 'cookie').toLowerCase();
  if (!(kinds as readonly string[]).includes(kind)) {
    throw new LatchkeyError('usage', `LATCHKEY_SESSION_KIND must be cookie, bearer or key, not ${JSON.stringify(kind)}.`);
  }
  const name = env['LATCHKEY_SESSION_NAME'] || (kind === 'bearer' ? 'Authorization' : kind === 'key' ? defaultKeyName : defaultCookieName);
  const siteUrl = env['LATCHKEY_SITE_URL'] ? normaliseSiteUrl(env['LATCHKEY_SITE_URL']) : null;
  const cookieHeader = env['LATCHKEY_COOKIE'] || (kind === 'cookie' ? `${name}=${value}` : '');
  if (env['LATCHKEY_COOKIE']) registerSecret(env['LATCHKEY_COOKIE']);
  const url = siteUrl === null ? null : new URL(siteUrl);
  const cookies = url === null ? [] : parseCookieHeader(cookieHeader, url.hostname, url.protocol === 'https:');
  const headers: Record<string, string> = {};
  if (cookieHeader !== '') headers['Cookie'] = cookieHeader;
  if (kind === 'bearer') headers['Authorization'] = `Bearer ${value}`;
  return {
    site: null,
    siteUrl,
    user: null,
    credential: { kind: kind as SessionGrant['credential']['kind'], name, value },
    cookies,
    headers,
    expiresAt: null,
    obtainedAt: null,
    source: 'env',
  };
}

/** The site URL a command must call; with a session from the environment it needs `LATCHKEY_SITE_URL`. */
export function requireSiteUrl(session: HandedSession, command: string): string {
  if (session.siteUrl !== null) return session.siteUrl;
  throw new LatchkeyError('usage', `\`latchkey ${command}\` with LATCHKEY_SESSION also needs LATCHKEY_SITE_URL (the site's address).`, {
    hint: 'Set LATCHKEY_SITE_URL=https://your.site, or unset LATCHKEY_SESSION to ask the agent.',
  });
}
