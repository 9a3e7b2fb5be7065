import type { SiteView } from '../core/operations/contract.ts';

/** How long until `iso`, for a person: `in 59 min`, `2 h ago`. */
export function relativeTime(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const span = minutes < 1 ? 'less than a minute' : minutes < 120 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} h` : `${Math.round(minutes / 1440)} days`;
  return ms >= 0 ? `in ${span}` : `${span} ago`;
}

/** A site's heading line: `studio (default): Studio`. */
export function describeSite(site: SiteView): string {
  return `${site.id}${site.default ? ' (default)' : ''}: ${site.name}`;
}

/** A site's session in a few words: state, user, expiry. */
export function describeSession(site: SiteView, now: number): string {
  const { session } = site;
  const who = session.user === null ? '' : ` as ${session.user}`;
  const until = session.expiresAt === null ? '' : `, expires ${session.expiresAt} (${relativeTime(session.expiresAt, now)})`;
  const running = site.loggingIn ? '; a login is running' : '';
  switch (session.state) {
    case 'valid':
      return `valid${who}${until}${running}`;
    case 'expired':
      return `expired${who}${session.expiresAt === null ? '' : ` at ${session.expiresAt} (${relativeTime(session.expiresAt, now)})`}${running}`;
    case 'invalid':
      return `rejected by the site${who}; renewing${running}`;
    case 'none':
      return `none (not logged in)${running}`;
  }
}
