import { LatchkeyError } from '../common/errors.ts';
import type { LoginFailure } from './login-result.ts';

/** The error a caller gets for a failed login, with the ending and its safe reason. */
export function loginError(failure: LoginFailure, siteId: string, options: { silentOnly: boolean }): LatchkeyError {
  const details = { ending: failure.ending, reason: failure.reason, ...(failure.status === undefined ? {} : { status: failure.status }) };
  if (options.silentOnly) {
    return new LatchkeyError('login_required', `Site ${siteId} needs you to log in: ${failure.reason}`, {
      hint: `Run \`latchkey login ${siteId}\`.`,
      details,
    });
  }
  switch (failure.ending) {
    case 'cancelled':
      return new LatchkeyError('login_cancelled', `The login to ${siteId} was cancelled: ${failure.reason}`, {
        hint: `Run \`latchkey login ${siteId}\` to try again.`,
        details,
      });
    case 'timeout':
      return new LatchkeyError('login_timeout', `The login to ${siteId} timed out: ${failure.reason}`, {
        hint: `Run \`latchkey login ${siteId}\` and finish the login in the window.`,
        details,
      });
    default:
      return new LatchkeyError('login_failed', `The login to ${siteId} failed (${failure.ending}): ${failure.reason}`, {
        hint: `Check the site in a browser, then run \`latchkey login ${siteId}\`.`,
        details,
      });
  }
}
