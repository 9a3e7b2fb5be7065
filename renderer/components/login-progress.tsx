import type { ReactNode } from 'react';
import { loginBrowser, type LoginBrowser } from '../../core/common/profile.ts';
import type { SiteView } from '../../core/common/views.ts';
import type { LoginPrompt } from '../state/login-prompt.ts';
import { TimeText } from './time-text.tsx';

// What a running login says before it asks anything of the person (or when it never does).
const waiting: Readonly<Record<LoginBrowser, string>> = {
  embedded: 'A login window is open for this site; finish the login there.',
  system: 'Opening your browser for this login…',
  device: 'Getting a code for this login…',
};

/** The address and, for a device login, the code; the address is plain text, so it can be selected and copied. */
function PromptText({ prompt }: { prompt: LoginPrompt }): ReactNode {
  const address = <span className="login-prompt-address">{prompt.address}</span>;
  if (prompt.userCode === null) {
    return (
      <>
        <p>Latchkey opened this page in your browser to finish the login. If it did not open, open it yourself:</p>
        <p>{address}</p>
      </>
    );
  }
  return (
    <>
      <p>Enter this code at {address}</p>
      <p className="login-prompt-code">{prompt.userCode}</p>
    </>
  );
}

/**
 * What a site's row says while its login runs. When the login needs the person outside Latchkey's
 * window (a `loginPrompt`), it shows where to go and the code to type. The status region is there
 * from the login's start, so a screen reader hears the prompt when it arrives; the expiry is kept
 * out of it, since its relative time changes as the clock runs.
 */
export function LoginProgress({ site, prompt, now }: { site: SiteView; prompt: LoginPrompt | null; now: number }): ReactNode {
  const href = prompt?.href ?? null;
  const expiresAt = prompt?.expiresAt ?? null;
  return (
    <div className={prompt === null ? 'session-details' : 'session-details login-prompt'}>
      <div role="status" aria-live="polite">
        {prompt === null ? (
          <p>{waiting[loginBrowser(site.profile)]}</p>
        ) : (
          <>
            <h4 className="login-prompt-title">Continue in your browser</h4>
            <PromptText prompt={prompt} />
          </>
        )}
      </div>
      {href === null ? null : (
        <p>
          {/* A new tab of the person's browser; the page gets neither this window nor the UI's address. */}
          <a className="login-prompt-link" href={href} target="_blank" rel="noopener noreferrer">
            Open the page in a new tab<span className="visually-hidden"> to log in to {site.name}</span>
          </a>
        </p>
      )}
      {expiresAt === null ? null : (
        <p className="login-prompt-expiry">
          {Date.parse(expiresAt) <= now ? 'Expired ' : 'Expires '}
          <TimeText iso={expiresAt} now={now} withAbsolute />
        </p>
      )}
    </div>
  );
}
