import type { SessionGrant } from '../common/views.ts';
import { deepFreeze } from '../common/deep-freeze.ts';
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

// A stored session is frozen and replaced, never changed (session-store.ts), so its grant for each
// source is made once. Scripts ask for the same session over and over; the agent answers them from
// here, and keeps the bytes of each grant's answer (request-handler.ts).
const grants = new WeakMap<Session, Partial<Record<SessionGrant['source'], SessionGrant>>>();
const madeGrants = new WeakSet<object>();

/** The session as handed to a client: frozen, and the same object for the same session and source. */
export function toGrant(session: Session, source: SessionGrant['source']): SessionGrant {
  const made = grants.get(session) ?? {};
  const known = made[source];
  if (known !== undefined) return known;
  const grant = deepFreeze(makeGrant(session, source));
  grants.set(session, { ...made, [source]: grant });
  madeGrants.add(grant);
  return grant;
}

/** True for a grant made by toGrant: it never changes, so the bytes of its answer may be kept. */
export function isGrant(value: unknown): boolean {
  return typeof value === 'object' && value !== null && madeGrants.has(value);
}

function makeGrant(session: Session, source: SessionGrant['source']): SessionGrant {
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
