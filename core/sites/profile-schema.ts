import * as z from 'zod/mini';
import '../validation.ts';
import { modeBrowsers, type LoginProfile } from '../common/profile.ts';
import { isLoopbackHost } from './site-url.ts';

const PLACEHOLDER_ORIGIN = 'https://placeholder.invalid';
// RFC 6265 section 4.1.1: a cookie name is an RFC 2616 token (RFC 9110 `tchar`s).
const COOKIE_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// RFC 6749 appendix A.4: a scope token is any visible ASCII character but `"` and `\`.
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
// RFC 6749 appendix A.1: a client id is VSCHARs (visible ASCII and space).
const CLIENT_ID = /^[\x20-\x7e]+$/;
const CONTROL_OR_BACKSLASH = /[\u0000-\u0020\u007f\\]/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_IDLE_MINUTES = 7 * 24 * 60;
const MAX_AGE_MINUTES = 365 * 24 * 60;

/**
 * Why `value` is not a usable path on the site, or null. The check resolves it against a
 * placeholder origin because that is what a caller does with it: `//evil.com/x` or `\\evil.com`
 * would leave the site, and `URL` would silently drop tabs and newlines.
 */
function pathProblem(value: string, allowQuery: boolean): string | null {
  if (!value.startsWith('/')) return 'must start with "/"';
  if (CONTROL_OR_BACKSLASH.test(value)) return 'must not contain spaces, control characters or backslashes';
  if (value.includes('#')) return 'must not contain a fragment ("#")';
  if (!allowQuery && value.includes('?')) return 'must be a path only, without a query ("?")';
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return 'is not a valid path';
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return 'must stay on the site (it starts with "//")';
  // The landing path is compared with the committed URL's path exactly, so it must already be in
  // the form the browser commits (no `.` segments, no characters the browser would escape).
  if (!allowQuery && url.pathname !== value) return `must be written as the browser writes it (${JSON.stringify(url.pathname)})`;
  return null;
}

/**
 * Why `value` is not a usable identity-provider URL (an issuer or a redirect URI), or null: https
 * (plain http only on loopback hosts, as for sites), no credentials, no query, no fragment
 * (OpenID Connect Discovery 1.0 section 2 says so of the issuer; the redirect URI is compared by
 * origin and path, so a query there would be ignored).
 */
function webUrlProblem(value: string): string | null {
  if (CONTROL_OR_BACKSLASH.test(value)) return 'must not contain spaces, control characters or backslashes';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL (https://…)';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return 'must use https (plain http is allowed only on loopback hosts)';
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if (value.includes('#')) return 'must not contain a fragment ("#")';
  if (value.includes('?')) return 'must not contain a query ("?")';
  return null;
}

/**
 * Why `value` is not a site's proxy, or null: `direct`, or an http or https URL of a host and port,
 * with no credentials (a profile is no place for a password: it is shown and stored in clear).
 */
function proxyProblem(value: string): string | null {
  if (value === 'direct') return null;
  if (CONTROL_OR_BACKSLASH.test(value)) return 'must not contain spaces, control characters or backslashes';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be "direct" or a proxy URL (http://proxy.example.com:3128)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https proxy URL, or "direct"';
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password (the login window asks for them)';
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') return 'must be a proxy host and port only';
  return null;
}

function refined(check: (value: string) => string | null) {
  return z.string().check(
    z.superRefine((value: string, context) => {
      const problem = check(value);
      if (problem !== null) context.addIssue({ code: 'custom', message: problem, input: value });
    }),
  );
}

const pathSchema = (allowQuery: boolean) => refined((value) => pathProblem(value, allowQuery));
const webUrl = refined(webUrlProblem);

/** A short piece of text without control characters (a parameter, claim or domain name). */
const name = (max: number) =>
  z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(max, `must be at most ${max} characters`), z.refine((value: string) => !CONTROL.test(value), 'must not contain control characters'));

const cookieName = z
  .string()
  .check(
    z.maxLength(256, 'must be at most 256 characters'),
    z.regex(COOKIE_TOKEN, 'must be a valid cookie name (letters, digits and !#$%&\'*+-.^_`|~)'),
    z.refine((value: string) => !value.includes('*'), '"*" patterns are allowed only in expiryCookies'),
  );

// In expiryCookies a trailing `*` matches any suffix (ShotGrid appends the user id); elsewhere a
// `*` would be taken literally, which is never what was meant.
const cookiePattern = z
  .string()
  .check(
    z.maxLength(256, 'must be at most 256 characters'),
    z.regex(COOKIE_TOKEN, 'must be a valid cookie name (letters, digits and !#$%&\'*+-.^_`|~), optionally ending in "*"'),
    z.refine((value: string) => value !== '*' && !value.slice(0, -1).includes('*'), '"*" is allowed only at the end, after a prefix'),
  );

const minutes = (max: number, maxText: string) =>
  z.int('must be a whole number of minutes').check(z.minimum(1, 'must be at least 1 minute'), z.maximum(max, `must be at most ${max} minutes (${maxText})`));

/** The fields a site may set over its preset, each checked on its own. */
export const overridesSchema = z.strictObject({
  preset: z.optional(z.nullable(z.string())),
  mode: z.optional(z.enum(['cookie', 'oidc', 'query', 'app-session'], 'must be "cookie", "oidc", "query" or "app-session"')),
  browser: z.optional(z.enum(['embedded', 'system', 'device'], 'must be "embedded", "system" or "device"')),
  renewPath: z.optional(pathSchema(true)),
  landingPath: z.optional(pathSchema(false)),
  sessionCookie: z.optional(cookieName),
  userCookie: z.optional(z.nullable(cookieName)),
  expiryCookies: z.optional(z.array(cookiePattern).check(z.maxLength(16, 'must list at most 16 cookies'))),
  validatePath: z.optional(z.nullable(pathSchema(true))),
  logoutPath: z.optional(z.nullable(pathSchema(true))),
  logoutRedirectUris: z.optional(z.array(webUrl).check(z.maxLength(16, 'must list at most 16 URIs'))),
  maxAgeMinutes: z.optional(z.nullable(minutes(MAX_AGE_MINUTES, '365 days'))),
  idleTimeoutMinutes: z.optional(
    z
      .int('must be a whole number of minutes')
      .check(
        z.minimum(1, 'must be at least 1 minute'),
        z.maximum(MAX_IDLE_MINUTES, `must be at most ${MAX_IDLE_MINUTES} minutes (7 days); sessions idle longer than a week are not kept alive`),
      ),
  ),
  jwtCookie: z.optional(z.nullable(cookieName)),
  userClaims: z.optional(z.array(name(128)).check(z.minLength(1, 'must list at least one claim'), z.maxLength(8, 'must list at most 8 claims'))),
  sessionParam: z.optional(name(256)),
  userParam: z.optional(z.nullable(name(256))),
  issuer: z.optional(webUrl),
  clientId: z.optional(z.string().check(z.maxLength(256, 'must be at most 256 characters'), z.regex(CLIENT_ID, 'must be printable ASCII, not empty'))),
  redirectUri: z.optional(webUrl),
  scopes: z.optional(
    z
      .array(z.string().check(z.regex(SCOPE_TOKEN, 'must be a scope token (visible ASCII but " and \\)')))
      .check(z.maxLength(32, 'must list at most 32 scopes'), z.refine((scopes: string[]) => scopes.includes('openid'), 'must include "openid"')),
  ),
  exchange: z.optional(z.nullable(z.strictObject({ path: pathSchema(true), domain: name(256) }))),
  proxy: z.optional(z.nullable(refined(proxyProblem))),
});

/** Fields each mode cannot work without. */
const requiredByMode: Record<LoginProfile['mode'], Array<keyof LoginProfile>> = {
  cookie: [],
  query: [],
  oidc: ['issuer', 'clientId', 'redirectUri'],
  'app-session': [],
};

/** The first field a whole profile (preset plus overrides) needs for its mode and lacks, or null. */
export function missingForMode(profile: LoginProfile): keyof LoginProfile | null {
  return requiredByMode[profile.mode].find((field) => profile[field] === undefined) ?? null;
}

/** Why a whole profile's browser cannot serve its mode, or null (docs/ARCHITECTURE.md, "Sites and login modes"). */
export function browserProblem(profile: LoginProfile): string | null {
  if (profile.browser === undefined) return null;
  const allowed = modeBrowsers[profile.mode];
  if (allowed.includes(profile.browser)) return null;
  const why = profile.mode === 'app-session' ? 'the person approves the request in their own browser' : profile.mode === 'oidc' ? '' : "a site's cookie cannot be read out of the person's own browser";
  return `Site profile field "browser" is ${JSON.stringify(profile.browser)}, but ${profile.mode} mode logs in only with ${allowed.map((browser) => JSON.stringify(browser)).join(' or ')}${why === '' ? '' : ` (${why})`}.`;
}

/** A sentence naming the field of a validation issue, for the `invalid_site` error. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length === 0 ? '' : ` in "${issue.path.join('.')}"`;
    return `Site profile has an unknown field ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}${where}.`;
  }
  const [field] = issue.path;
  if (field === undefined) return `Site profile must be an object (${issue.message}).`;
  const where = issue.path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
  return `Site profile field "${where}" ${issue.message}.`;
}
