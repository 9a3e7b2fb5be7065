import type { LoginFailure } from './login-result.ts';

/**
 * Ends a login from deep inside one of its steps (a token call, a check of the ID token) with the
 * failure to report. Only the login flow catches it, and turns it into the login's result; its
 * message is the failure's reason, which is safe to show.
 */
export class LoginStepError extends Error {
  readonly failure: LoginFailure;

  constructor(failure: LoginFailure) {
    super(failure.reason);
    this.name = 'LoginStepError';
    this.failure = failure;
  }
}

/** Throws the failure as a LoginStepError; for one-line checks. */
export function failLogin(failure: LoginFailure): never {
  throw new LoginStepError(failure);
}
