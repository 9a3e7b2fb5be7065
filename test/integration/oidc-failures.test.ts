import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runLogin } from '../../core/login/login-flow.ts';
import { newSite } from '../../core/sites/new-site.ts';
import type { Site } from '../../core/sites/site.ts';
import { startLab, type AuthorizationTamper, type IdTokenTamper, type Lab } from '../lab/lab.ts';
import { makeTestEngine, type TestEngine } from '../support/engine.ts';

// Every way an oidc login must refuse what it is given, each caused for real: the lab's identity
// provider spoils its own answers (a man in the middle on its token endpoint and its redirects),
// and the lab cloud refuses the exchange. Each ends with its reason and stores nothing.

let lab: Lab;
let engine: TestEngine;
let site: Site;

async function failedLogin(): Promise<{ code: string; details: { ending?: string; reason?: string; status?: number } }> {
  return engine.sessions.login(site, { force: true }).then(
    () => { throw new Error('expected the login to fail'); },
    (error: unknown) => error as { code: string; details: { ending?: string; reason?: string; status?: number } },
  );
}

beforeAll(async () => {
  lab = await startLab({ autoLogin: 'ada' });
  engine = await makeTestEngine('oidc-failures');
  site = newSite({ url: lab.cloud.url, preset: 'cloudshell', profile: { issuer: lab.idp.issuer, clientId: lab.cloud.clientId } }, []);
  // One good login first, so the lab has an earlier ID token to replay; it goes through
  // runLogin, which stores nothing.
  expect((await runLogin({ site, windows: engine.windows, interactive: true, clock: engine.clock })).ending).toBe('ok');
});

afterAll(async () => {
  engine.sessions.close();
  await lab.close();
});

afterEach(() => {
  lab.idp.setIdTokenTamper(null);
  lab.idp.setAuthorizationTamper(null);
  lab.cloud.setFailure(null);
});

describe('an oidc login refuses', () => {
  it.each([
    ['wrong_key', "signature does not verify"],
    ['wrong_issuer', 'another issuer'],
    ['wrong_audience', 'another client (aud)'],
    ['expired', 'has expired'],
    ['replayed', 'nonce is not the one this login sent'],
  ] as const)('an ID token with %s: incomplete, no exchange, nothing stored', async (tamper: IdTokenTamper, says) => {
    lab.idp.setIdTokenTamper(tamper);
    const exchanged = lab.cloud.issuedTokens().length;
    const error = await failedLogin();
    expect(error.code).toBe('login_failed');
    expect(error.details.ending).toBe('incomplete');
    expect(error.details.reason).toContain(says);
    expect(lab.cloud.issuedTokens()).toHaveLength(exchanged);
    expect(engine.store.get(site.id)).toBeUndefined();
  });

  it.each([
    ['drop_code', 'carries no authorization code'],
    ['wrong_state', 'another state than this login sent'],
    ['access_denied', 'refused the login: access_denied (The lab refused this sign-in.)'],
  ] as const)('an authorization response with %s: incomplete, nothing stored', async (tamper: AuthorizationTamper, says) => {
    lab.idp.setAuthorizationTamper(tamper);
    const error = await failedLogin();
    expect(error.code).toBe('login_failed');
    expect(error.details.ending).toBe('incomplete');
    expect(error.details.reason).toContain(says);
    expect(engine.store.get(site.id)).toBeUndefined();
  });

  it('an exchange the site refuses: http_error 401, nothing stored', async () => {
    lab.cloud.setFailure('refuse_exchange');
    const error = await failedLogin();
    expect(error).toMatchObject({ code: 'login_failed', details: { ending: 'http_error', status: 401 } });
    expect(error.details.reason).toContain('/api/login');
    expect(engine.store.get(site.id)).toBeUndefined();
  });

  it('an identity provider that is down: network_error before any window opens', async () => {
    await lab.idp.stop();
    const opened = engine.opened.length;
    try {
      const error = await failedLogin();
      expect(error.details.ending).toBe('network_error');
      expect(error.details.reason).toContain('/.well-known/openid-configuration');
    } finally {
      await lab.idp.start();
    }
    expect(engine.opened.length).toBe(opened);
    expect(engine.store.get(site.id)).toBeUndefined();
  });

  it('an identity provider whose metadata names another issuer: incomplete before any window opens', async () => {
    // Discovery compares the issuer exactly (OpenID Connect Discovery 1.0, section 4.3): a trailing slash is another issuer.
    const other = { ...site, id: 'cloud-slash', profile: { ...site.profile, issuer: `${lab.idp.issuer}/` } };
    const opened = engine.opened.length;
    const result = await runLogin({ site: other, windows: engine.windows, interactive: true, clock: engine.clock });
    expect(result).toMatchObject({ ending: 'incomplete', reason: expect.stringContaining('names another issuer') });
    expect(engine.opened.length).toBe(opened);
  });

  it('a client the identity provider does not know: http_error at its authorization endpoint', async () => {
    const other = { ...site, id: 'cloud-unknown-client', profile: { ...site.profile, clientId: 'no-such-client' } };
    const result = await runLogin({ site: other, windows: engine.windows, interactive: true, clock: engine.clock });
    expect(result).toMatchObject({ ending: 'http_error', status: 400, reason: expect.stringContaining('/auth') });
  });

  it('and a failed login keeps the valid session stored before it', async () => {
    await engine.sessions.login(site, { force: true });
    const valid = engine.store.get(site.id);
    expect(valid?.credential.kind).toBe('bearer');
    lab.idp.setIdTokenTamper('wrong_key');
    expect((await failedLogin()).details.ending).toBe('incomplete');
    expect(engine.store.get(site.id)).toEqual(valid);
  });
});
