import { registerSecret } from '../secrets.ts';
import { failLogin } from './login-step-error.ts';

/** What the authorization response must match: the request's `state`, and the issuer asked. */
export interface CallbackExpectations {
  state: string;
  issuer: string;
  /** False for silent renewal, where "the person is needed" answers are expected. */
  interactive: boolean;
}

// OpenID Connect Core 1.0, section 3.1.2.6: the answers to `prompt=none` that mean a person must act.
const personNeeded = new Set(['login_required', 'interaction_required', 'consent_required', 'account_selection_required']);

/** An identity provider's words, fit for a reason: no control characters, and short. */
function shown(text: string, max: number): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * The authorization code of the redirect URI the window reached (RFC 6749 section 4.1.2), after
 * checking it answers this login; an error, another state, another issuer or no code each end the
 * login `incomplete`.
 */
export function readAuthorizationResponse(redirectedTo: string, expected: CallbackExpectations): string {
  const params = new URL(redirectedTo).searchParams;
  const error = params.get('error');
  if (error !== null) {
    const description = params.get('error_description');
    failLogin({
      ending: 'incomplete',
      reason: `The identity provider refused the login: ${shown(error, 64)}${description === null ? '' : ` (${shown(description, 200)})`}.`,
      ...(!expected.interactive && personNeeded.has(error) ? { needsPerson: true } : {}),
    });
  }
  // RFC 6749 section 10.12: a response whose state is not this login's was not asked for by it
  // (a forged or stale redirect) and is dropped.
  if (params.get('state') !== expected.state) {
    failLogin({ ending: 'incomplete', reason: "The identity provider's answer carries another state than this login sent." });
  }
  // RFC 9207: a provider that names itself must be the one asked (no mix-up between providers).
  const iss = params.get('iss');
  if (iss !== null && iss !== expected.issuer) {
    failLogin({ ending: 'incomplete', reason: "The identity provider's answer names another issuer." });
  }
  const code = params.get('code');
  if (code === null || code === '') {
    failLogin({ ending: 'incomplete', reason: "The identity provider's answer carries no authorization code." });
  }
  registerSecret(code);
  return code;
}
