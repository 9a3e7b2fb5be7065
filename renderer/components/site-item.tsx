import type { ReactNode } from 'react';
import type { SiteView } from '../../core/common/views.ts';
import type { UiError } from '../state/field-errors.ts';
import type { LoginPrompt } from '../state/login-prompt.ts';
import { RichText } from './rich-text.tsx';
import { SessionDetails } from './session-details.tsx';
import { displayState, StateBadge } from './state-badge.tsx';

/** What the person can do with a site; each returns when the agent has answered. */
export interface SiteActions {
  login(site: SiteView): Promise<void>;
  logout(site: SiteView): Promise<void>;
  makeDefault(site: SiteView): Promise<void>;
  edit(site: SiteView): void;
  remove(site: SiteView): void;
}

/** Words only a screen reader hears, so that each button names its site ("Log in to Studio"). */
function Hidden({ children }: { children: ReactNode }): ReactNode {
  return <span className="visually-hidden">{children}</span>;
}

/**
 * One site: name, address, session state, user and expiry, and its actions. While its login runs,
 * `prompt` says what the login asks of the person (shown only then: a prompt outlives its login
 * only when the UI missed the login's end).
 */
export function SiteItem(props: { site: SiteView; now: number; error: UiError | null; prompt: LoginPrompt | null; actions: SiteActions }): ReactNode {
  const { site, now, error, actions } = props;
  const state = displayState(site, now);
  const nameId = `site-${site.id}-name`;
  // One button logs in or out, so it keeps the focus when the state flips; while a login runs it
  // stays focusable (aria-disabled), since a disabled button would drop the focus to the page.
  const loggedIn = state === 'valid';
  const stale = site.session.state === 'expired' || site.session.state === 'invalid';
  return (
    <li className={`site site-${state}`}>
      <article aria-labelledby={nameId}>
        <div className="site-head">
          <div className="site-title">
            <h3 id={nameId} className="site-name" tabIndex={-1}>
              {site.name}
            </h3>
            {site.default ? <span className="tag">Default</span> : null}
          </div>
          <StateBadge state={state} />
        </div>
        <p className="site-url">{site.url}</p>
        <SessionDetails site={site} state={state} now={now} prompt={site.loggingIn ? props.prompt : null} />
        {error === null ? null : (
          <p className="site-error">
            <RichText text={error.message} />
          </p>
        )}
        <div className="site-actions">
          <button
            type="button"
            className={loggedIn ? 'button' : 'button button-primary'}
            aria-disabled={site.loggingIn || undefined}
            onClick={() => {
              if (!site.loggingIn) void (loggedIn ? actions.logout(site) : actions.login(site));
            }}
          >
            {loggedIn ? (
              <>
                Log out<Hidden> of {site.name}</Hidden>
              </>
            ) : (
              <>
                {site.loggingIn ? 'Logging in…' : 'Log in'}
                <Hidden> to {site.name}</Hidden>
              </>
            )}
          </button>
          {stale && !site.loggingIn ? (
            <button type="button" className="button" onClick={() => void actions.logout(site)}>
              Log out<Hidden> of {site.name}</Hidden>
            </button>
          ) : null}
          {site.default ? null : (
            <button type="button" className="button" onClick={() => void actions.makeDefault(site)}>
              Make default<Hidden> site: {site.name}</Hidden>
            </button>
          )}
          <span className="site-actions-spacer" />
          <button type="button" className="button button-quiet" onClick={() => actions.edit(site)}>
            Edit<Hidden> {site.name}</Hidden>
          </button>
          <button type="button" className="button button-quiet button-quiet-danger" onClick={() => actions.remove(site)}>
            Remove<Hidden> {site.name}</Hidden>
          </button>
        </div>
      </article>
    </li>
  );
}
