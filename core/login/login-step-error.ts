import { LatchkeyError } from '../common/errors.ts';
import type { LoginFailure } from './login-result.ts';

/**
 * Ends a login from deep inside one of its steps (a token call, a check of the ID token) with the
 * failure to report. Only the login flow catches it, and turns it into the login's result; its
 * message is the failure's reason, which is safe to show.
 */
export class LoginStepError extends LatchkeyError {
  readonly failure: LoginFailure;

  constructor(failure: LoginFailure) {
    super('login_failed', failure.reason, {
      details: { ending: failure.ending, reason: failure.reason, ...(failure.status === undefined ? {} : { status: failure.status }) },
    });
    this.name = 'LoginStepError';
    this.failure = failure;
  }
}

/** Throws the failure as a LoginStepError; for one-line checks. */
export function failLogin(failure: LoginFailure): never {
  throw new LoginStepError(failure);
}
