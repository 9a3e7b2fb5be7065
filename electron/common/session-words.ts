import type { SessionSummary } from '../../core/common/views.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** How far away an expiry is, in words ("in 5 min", "in 3 h", "in 2 days"); `now` is injected for tests. */
export function expiryInWords(expiresAt: string, now: number): string {
  const left = Date.parse(expiresAt) - now;
  if (Number.isNaN(left)) return 'at an unknown time';
  if (left <= 0) return 'now';
  if (left < minute) return 'in under a minute';
  if (left < hour) return `in ${Math.floor(left / minute)} min`;
  if (left < 2 * day) return `in ${Math.floor(left / hour)} h`;
  return `in ${Math.floor(left / day)} days`;
}

/** One line about a site's session for the tray: who is logged in and until when, or what is wrong. */
export function describeSession(session: SessionSummary, loggingIn: boolean, now: number): string {
  if (loggingIn) return 'logging in…';
  switch (session.state) {
    case 'valid': {
      const who = session.user ?? 'logged in';
      return session.expiresAt === null ? `${who}, no known expiry` : `${who}, expires ${expiryInWords(session.expiresAt, now)}`;
    }
    case 'expired':
      return 'session expired';
    case 'invalid':
      return 'session rejected by the site';
    case 'none':
      return 'not logged in';
  }
}
