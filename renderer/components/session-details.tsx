import type { ReactNode } from 'react';
import type { SiteView } from '../../core/common/views.ts';
import type { LoginPrompt } from '../state/login-prompt.ts';
import { LoginProgress } from './login-progress.tsx';
import type { DisplayState } from './state-badge.tsx';
import { TimeText } from './time-text.tsx';

/** The sentence under a site's name: who is logged in and until when, or how the login under way goes on. */
export function SessionDetails({ site, state, now, prompt }: { site: SiteView; state: DisplayState; now: number; prompt: LoginPrompt | null }): ReactNode {
  const { user, expiresAt } = site.session;
  const who = user === null ? null : <strong className="user">{user}</strong>;
  const expiry = expiresAt === null ? null : <TimeText iso={expiresAt} now={now} withAbsolute />;
  switch (state) {
    case 'logging-in':
      return <LoginProgress site={site} prompt={prompt} now={now} />;
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
