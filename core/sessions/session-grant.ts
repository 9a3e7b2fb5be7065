import type { SessionGrant } from '../common/views.ts';
import type { Session } from './session.ts';

/** The request headers that carry a session to its site. */
export function sessionHeaders(session: Session): Record<string, string> {
  switch (session.credential.kind) {
    case 'cookie':
      // Every cookie of the site's origin goes along: sites often pair the session cookie with
      // a CSRF or routing cookie that the API checks too.
      return { Cookie: session.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ') };
    case 'bearer':
      return { Authorization: `Bearer ${session.credential.value}` };
    case 'key':
      return {};
  }
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The session as handed to a client, made afresh for each answer (a copy: the caller may not change the stored one). */
export function toGrant(session: Session, source: SessionGrant['source']): SessionGrant {
  return {
    site: session.siteId,
    siteUrl: session.siteUrl,
    user: session.user,
    credential: { ...session.credential },
    cookies: session.cookies.map(({ name, value, domain, path, expires, httpOnly, secure }) => ({ name, value, domain, path, expires, httpOnly, secure })),
    headers: sessionHeaders(session),
    expiresAt: iso(session.expiresAt),
    obtainedAt: new Date(session.obtainedAt).toISOString(),
    source,
  };
}
