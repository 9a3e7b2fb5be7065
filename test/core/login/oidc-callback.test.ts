import { describe, expect, it } from 'vitest';
import { LoginStepError } from '../../../core/login/login-step-error.ts';
import { readAuthorizationResponse } from '../../../core/login/oidc-callback.ts';

const redirectUri = 'http://127.0.0.1/latchkey/callback';
const expected = { state: 'state-1', issuer: 'https://idp.example.com', interactive: true };

function failure(url: string, options = expected) {
  try {
    readAuthorizationResponse(url, options);
  } catch (error) {
    if (error instanceof LoginStepError) return error.failure;
    throw error;
  }
  throw new Error('expected the response to be refused');
}

describe('readAuthorizationResponse', () => {
  it('returns the code of a response with this login state', () => {
    expect(readAuthorizationResponse(`${redirectUri}?code=c0de&state=state-1`, expected)).toBe('c0de');
  });

  it('accepts the issuer the response names when it is the one asked (RFC 9207)', () => {
    expect(readAuthorizationResponse(`${redirectUri}?code=c0de&state=state-1&iss=https%3A%2F%2Fidp.example.com`, expected)).toBe('c0de');
  });

  it.each([
    ['another state', '?code=c&state=state-2', 'another state than this login sent'],
    ['no state', '?code=c', 'another state than this login sent'],
    ['another issuer', '?code=c&state=state-1&iss=https%3A%2F%2Fevil.example.com', 'names another issuer'],
    ['no code', '?state=state-1', 'carries no authorization code'],
    ['an empty code', '?code=&state=state-1', 'carries no authorization code'],
    ['the code only in the fragment', '?state=state-1#code=c', 'carries no authorization code'],
    ['an error', '?error=access_denied&error_description=No%20access&state=state-1', 'refused the login: access_denied (No access).'],
  ])('ends incomplete on %s', (_case, query, says) => {
    const result = failure(`${redirectUri}${query}`);
    expect(result).toEqual({ ending: 'incomplete', reason: expect.stringContaining(says) });
  });

  it('keeps control characters and long descriptions out of the reason', () => {
    const description = encodeURIComponent(`line\nbreak ${'x'.repeat(500)}`);
    const { reason } = failure(`${redirectUri}?error=server_error&error_description=${description}`);
    expect(reason).not.toContain('\n');
    expect(reason.length).toBeLessThan(300);
  });

  it('says the person is needed when a silent login gets login_required, and only then', () => {
    expect(failure(`${redirectUri}?error=login_required&state=state-1`, { ...expected, interactive: false })).toMatchObject({ needsPerson: true });
    expect(failure(`${redirectUri}?error=login_required&state=state-1`)).not.toHaveProperty('needsPerson');
    expect(failure(`${redirectUri}?error=access_denied&state=state-1`, { ...expected, interactive: false })).not.toHaveProperty('needsPerson');
  });
});
