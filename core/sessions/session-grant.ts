import type { SessionGrant } from '../operations/contract.ts';
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

// A stored session is replaced, never changed, so its grant for each source is made once. Scripts
// ask for the same session over and over; the agent answers them from here (and json-response.ts
// keeps the bytes of a frozen answer).
const grants = new WeakMap<Session, Partial<Record<SessionGrant['source'], SessionGrant>>>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The session as handed to a client: frozen, and the same object for the same session and source. */
export function toGrant(session: Session, source: SessionGrant['source']): SessionGrant {
  const made = grants.get(session) ?? {};
  const known = made[source];
  if (known !== undefined) return known;
  const grant = deepFreeze(makeGrant(session, source));
  grants.set(session, { ...made, [source]: grant });
  return grant;
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
