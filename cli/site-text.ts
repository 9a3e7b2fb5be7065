import { forDisplay } from '../core/common/display-text.ts';
import type { SiteView } from '../core/common/views.ts';
import type { SiteKey } from '../core/sites/site-lookup.ts';

/** How long until `iso`, for a person: `in 59 min`, `2 h ago`. */
export function relativeTime(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const span = minutes < 1 ? 'less than a minute' : minutes < 120 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} h` : `${Math.round(minutes / 1440)} days`;
  return ms >= 0 ? `in ${span}` : `${span} ago`;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** A time for a person: the local date and time with the relative form, `2026-12-02 14:05 (in 59 min)`. */
export function localTime(iso: string, now: number): string {
  const date = new Date(iso);
  const local = `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
  return `${local} (${relativeTime(iso, now)})`;
}

/** A site's heading line: `studio (default): Studio`, the name cleaned for the terminal. */
export function describeSite(site: SiteKey): string {
  return `${site.id}${site.default ? ' (default)' : ''}: ${forDisplay(site.name)}`;
}

/** A site's session in a few words: state, user, expiry (the user label cleaned for the terminal). */
export function describeSession(site: SiteView, now: number): string {
  const { session } = site;
  const who = session.user === null ? '' : ` as ${forDisplay(session.user)}`;
  const until = session.expiresAt === null ? '' : `, expires ${localTime(session.expiresAt, now)}`;
  const running = site.loggingIn ? '; a login is running' : '';
  switch (session.state) {
    case 'valid':
      return `valid${who}${until}${running}`;
    case 'expired':
      return `expired${who}${session.expiresAt === null ? '' : ` at ${localTime(session.expiresAt, now)}`}${running}`;
    case 'invalid':
      return `rejected by the site${who}; renewing${running}`;
    case 'none':
      return `none (not logged in)${running}`;
  }
}

/** A site's lines in `status` and `sites`: heading, URL, session. */
export function siteLines(site: SiteKey, session: string): string[] {
  return [describeSite(site), `  url:     ${site.url}`, `  session: ${session}`];
}
