import type { ReactNode } from 'react';
import type { SiteView } from '../../core/common/views.ts';
import type { DisplayState } from './state-badge.tsx';
import { TimeText } from './time-text.tsx';

/** The sentence under a site's name: who is logged in and until when. */
export function SessionDetails({ site, state, now }: { site: SiteView; state: DisplayState; now: number }): ReactNode {
  const { user, expiresAt } = site.session;
  const who = user === null ? null : <strong className="user">{user}</strong>;
  const expiry = expiresAt === null ? null : <TimeText iso={expiresAt} now={now} withAbsolute />;
  switch (state) {
    case 'logging-in':
      return <p className="session-details">A login window is open for this site; finish the login there.</p>;
    case 'valid':
      return (
        <p className="session-details">
          {who === null ? 'Logged in' : <>Logged in as {who}</>}
          {' · '}
          {expiry === null ? 'expiry unknown' : <>expires {expiry}</>}
        </p>
      );
    case 'expired':
      return (
        <p className="session-details">
          {who === null ? 'The session' : <>The session of {who}</>} expired{expiry === null ? '' : ' '}
          {expiry}. Log in again to renew it.
        </p>
      );
    case 'invalid':
      return (
        <p className="session-details">
          The site rejected the session{who === null ? '' : ' of '}
          {who}. Log in again.
        </p>
      );
    case 'none':
      return <p className="session-details">No session yet.</p>;
  }
}
