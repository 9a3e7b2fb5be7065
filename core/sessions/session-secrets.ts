import { registerSecret } from '../secrets.ts';
import type { Session } from './session.ts';

// A grant hands out more than the credential (docs/ARCHITECTURE.md, "Security model"): every cookie
// of the site's origin goes along, since sites pair the session cookie with others their API checks.
// Every one of those values is a secret as far as logs and labels are concerned.

// A label holding a shorter value is no sign of a leak (a cookie "lang=en" is no secret).
const minimumContainedLength = 6;

/** Every value a grant of `session` hands out, and the refresh and ID tokens the agent keeps. */
export function sessionValues(session: Session): string[] {
  const values = [session.credential.value, ...session.cookies.map((cookie) => cookie.value)];
  if (session.refreshToken !== undefined) values.push(session.refreshToken);
  if (session.idToken !== undefined) values.push(session.idToken);
  return values.filter((value) => value !== '');
}

/** Registers every value of the session as a secret: none can then reach a log line or a message. */
export function registerSessionSecrets(session: Session): void {
  for (const value of sessionValues(session)) registerSecret(value);
}

/**
 * True when the session's user label would show one of its secrets: it equals the credential, the
 * refresh token or a cookie's value, or contains one of them (six characters or more), or it was
 * read from an HttpOnly cookie (`userCookie`): a site keeps such a cookie from its own pages'
 * scripts, as it does a session cookie, so it is never a label. The cookie the label is read from
 * is otherwise the label itself, not a secret, unless it also holds the credential.
 */
export function labelShowsSecret(session: Session, userCookie: string | null): boolean {
  const label = session.user;
  if (label === null || label === '') return false;
  if (userCookie !== null && session.cookies.some((cookie) => cookie.name === userCookie && cookie.httpOnly)) return true;
  const secrets = [session.credential.value, ...session.cookies.filter((cookie) => cookie.name !== userCookie).map((cookie) => cookie.value)];
  if (session.refreshToken !== undefined) secrets.push(session.refreshToken);
  if (session.idToken !== undefined) secrets.push(session.idToken);
  return secrets.some((secret) => secret !== '' && (label === secret || (secret.length >= minimumContainedLength && label.includes(secret))));
}
