import { z } from 'zod';
import { LatchkeyError } from '../errors.ts';
import type { LoginProfile } from './site.ts';

/** The ShotGrid login profile: server-driven SSO that ends on `/auth/landing` (DESIGN.md section 3). */
export const shotgridProfile: Readonly<LoginProfile> = Object.freeze({
  preset: 'shotgrid',
  mode: 'cookie',
  renewPath: '/auth/renew?product=latchkey',
  landingPath: '/auth/landing',
  sessionCookie: '_session_id',
  userCookie: 'shotgun_current_user_login',
  // Frozen too, so no caller can edit the preset through a profile; profileFromPreset copies it.
  expiryCookies: Object.freeze(['shotgun_current_user_sso_claims_expiration', 'shotgun_sso_session_expiration_u*']) as string[],
  validatePath: null,
  logoutPath: null,
  maxAgeMinutes: null,
  idleTimeoutMinutes: 1440,
});

/** Every preset, keyed by the name a site gives in `profile.preset`. */
export const presets: Readonly<Record<string, Readonly<LoginProfile>>> = Object.freeze({
  shotgrid: shotgridProfile,
});

const PLACEHOLDER_ORIGIN = 'https://placeholder.invalid';
// RFC 6265 section 4.1.1: a cookie name is an RFC 2616 token (RFC 9110 `tchar`s).
const COOKIE_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MAX_IDLE_MINUTES = 7 * 24 * 60;
const MAX_AGE_MINUTES = 365 * 24 * 60;

/**
 * Why `value` is not a usable path on the site, or null. The check resolves it against a
 * placeholder origin because that is what a caller does with it: `//evil.com/x` or `\\evil.com`
 * would leave the site, and `URL` would silently drop tabs and newlines.
 */
function pathProblem(value: string, allowQuery: boolean): string | null {
  if (!value.startsWith('/')) return 'must start with "/"';
  if (/[\u0000-\u0020\u007f\\]/.test(value)) return 'must not contain spaces, control characters or backslashes';
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

function pathSchema(allowQuery: boolean) {
  return z.string().superRefine((value, context) => {
    const problem = pathProblem(value, allowQuery);
    if (problem !== null) context.addIssue({ code: 'custom', message: problem });
  });
}

const cookieName = z
  .string()
  .max(256, 'must be at most 256 characters')
  .regex(COOKIE_TOKEN, 'must be a valid cookie name (letters, digits and !#$%&\'*+-.^_`|~)')
  .refine((value) => !value.includes('*'), '"*" patterns are allowed only in expiryCookies');

// In expiryCookies a trailing `*` matches any suffix (ShotGrid appends the user id); elsewhere a
// `*` would be taken literally, which is never what was meant.
const cookiePattern = z
  .string()
  .max(256, 'must be at most 256 characters')
  .regex(COOKIE_TOKEN, 'must be a valid cookie name (letters, digits and !#$%&\'*+-.^_`|~), optionally ending in "*"')
  .refine((value) => value !== '*' && !value.slice(0, -1).includes('*'), '"*" is allowed only at the end, after a prefix');

const overridesSchema = z.strictObject({
  preset: z.string().nullable().optional(),
  mode: z.enum(['cookie', 'oidc', 'query'], 'must be "cookie", "oidc" or "query"').optional(),
  renewPath: pathSchema(true).optional(),
  landingPath: pathSchema(false).optional(),
  sessionCookie: cookieName.optional(),
  userCookie: cookieName.nullable().optional(),
  expiryCookies: z.array(cookiePattern).max(16, 'must list at most 16 cookies').optional(),
  validatePath: pathSchema(true).nullable().optional(),
  logoutPath: pathSchema(true).nullable().optional(),
  maxAgeMinutes: z
    .int('must be a whole number of minutes')
    .min(1, 'must be at least 1 minute')
    .max(MAX_AGE_MINUTES, `must be at most ${MAX_AGE_MINUTES} minutes (365 days)`)
    .nullable()
    .optional(),
  idleTimeoutMinutes: z
    .int('must be a whole number of minutes')
    .min(1, 'must be at least 1 minute')
    .max(MAX_IDLE_MINUTES, `must be at most ${MAX_IDLE_MINUTES} minutes (7 days); sessions idle longer than a week are not kept alive`)
    .optional(),
});

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `Site profile has an unknown field ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}.`;
  }
  const [field, index] = issue.path;
  if (field === undefined) return `Site profile must be an object (${issue.message}).`;
  const where = typeof index === 'number' ? `${String(field)}[${index}]` : String(field);
  return `Site profile field "${where}" ${issue.message}.`;
}

/**
 * The named preset's profile with `overrides` applied, each override validated; throws
 * `invalid_site` naming the unknown preset or the first bad field.
 */
export function profileFromPreset(name: string, overrides: Partial<LoginProfile> = {}): LoginProfile {
  // Object.hasOwn, not `name in presets`: `toString` or `__proto__` must not look like presets.
  const base = Object.hasOwn(presets, name) ? presets[name] : undefined;
  if (base === undefined) {
    throw new LatchkeyError('invalid_site', `Unknown preset ${JSON.stringify(name)}.`, {
      hint: `Known presets: ${Object.keys(presets).join(', ')}.`,
    });
  }
  const parsed = overridesSchema.safeParse(overrides);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new LatchkeyError('invalid_site', issue === undefined ? 'Site profile is invalid.' : describeIssue(issue));
  }
  const { preset, ...fields } = parsed.data;
  if (preset !== undefined && preset !== name) {
    throw new LatchkeyError('invalid_site', `Site profile field "preset" is ${JSON.stringify(preset)} but the preset asked for is ${JSON.stringify(name)}.`);
  }
  const given: Partial<LoginProfile> = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  return { ...base, expiryCookies: [...base.expiryCookies], ...given, preset: name };
}
