import type { ReactNode } from 'react';
import type { SiteView } from '../../core/common/views.ts';

/** What a site's row shows: its session state, or that a login is running. */
export type DisplayState = 'logging-in' | 'valid' | 'expired' | 'invalid' | 'none';

const labels: Record<DisplayState, string> = {
  'logging-in': 'Logging in…',
  valid: 'Logged in',
  expired: 'Expired',
  invalid: 'Rejected',
  none: 'Not logged in',
};

/**
 * The state to show. A valid session whose expiry has passed is shown as expired at once: the
 * agent's next event may be a while coming, and the person should not be told a lapsed session works.
 */
export function displayState(site: SiteView, now: number): DisplayState {
  if (site.loggingIn) return 'logging-in';
  const { state, expiresAt } = site.session;
  if (state === 'valid' && expiresAt !== null && Date.parse(expiresAt) <= now) return 'expired';
  return state;
}

/** A coloured label with the state's name (the words carry the meaning; colour only repeats it). */
export function StateBadge({ state }: { state: DisplayState }): ReactNode {
  return (
    <span className={`badge badge-${state}`}>
      <span className="badge-dot" aria-hidden="true" />
      {labels[state]}
    </span>
  );
}
