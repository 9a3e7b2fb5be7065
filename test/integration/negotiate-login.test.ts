import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumLoginWindows } from '../../core/browser/chromium-login-window.ts';
import { runLogin } from '../../core/login/login-flow.ts';
import type { LoginResult } from '../../core/login/login-result.ts';
import type { LoginWindowFactory } from '../../core/login/login-window.ts';
import { newSite } from '../../core/sites/new-site.ts';
import type { Site } from '../../core/sites/site.ts';
import { startLab, type Lab } from '../lab/lab.ts';
import { gssapiPython, keytabVerifier } from '../lab/negotiate-verifier.ts';
import { slottedWindows } from '../support/browser-slots.ts';
import { kerberosToolsMissing, startKdc, type Kdc } from '../support/kdc.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { makeTestHome, type TestHome } from '../support/test-home.ts';

// Integrated Windows authentication in the login window, with Debian's real Kerberos: a KDC of the
// test's own (krb5-kdc, krb5-admin-server), the person signed in with `kinit` (krb5-user), and the
// lab's identity provider behind `WWW-Authenticate: Negotiate`, accepting each token with its
// service keytab (python3-gssapi). Nobody types anything: a login either gets the person's
// ticket through, or ends at the 401 as a prompt nobody answered.
//
// Chromium on Linux loads its GSSAPI library only once a profile has met a Negotiate challenge
// (the Local State pref `net.received_http_auth_negotiate_headers`, set by that first challenge,
// which itself goes unanswered). Where hosts are listed, Latchkey marks each profile so before the
// browser starts (core/browser/negotiate-profile.ts), so a person's first login signs in too.

const missing = kerberosToolsMissing();
if (missing.length > 0) console.log(`SKIP the Negotiate (Kerberos) login tests: ${missing.join(', ')} not installed on this machine`);

const listed = 'idp.localhost';

describe.skipIf(missing.length > 0)('Negotiate (Kerberos) at the identity provider', () => {
  let kdc: Kdc;
  let lab: Lab;
  let home: TestHome;
  // What the identity provider's keytab made of each token it was sent: a lab login, or why not.
  let verified: string[] = [];
  const usedProfiles = new Set<string>();

  beforeAll(async () => {
    kdc = await startKdc({ user: 'ada', service: `HTTP/${listed}` });
    lab = await startLab();
    home = makeTestHome('negotiate');
    const verify = keytabVerifier({ python: gssapiPython() ?? 'python3', env: kdc.serviceEnv, realm: kdc.realm, onRefused: (reason) => verified.push(`refused: ${reason}`) });
    lab.idp.setNegotiateAuth(async (token) => {
      const login = await verify(token);
      if (login !== null) verified.push(login);
      return login;
    });
  });

  afterAll(async () => {
    await lab?.close();
    await kdc?.stop();
  });

  afterEach(async () => {
    verified = [];
    for (const id of usedProfiles) await windows(false).clearProfile(id);
    usedProfiles.clear();
  });

  /** The login windows of a person whose Kerberos ticket is in the browser's environment; `allow` lists the IdP in LATCHKEY_AUTH_SERVERS. */
  function windows(allow: boolean): LoginWindowFactory {
    const env: Record<string, string | undefined> = { ...process.env, ...kdc.browserEnv, LATCHKEY_AUTH_SERVERS: allow ? listed : undefined };
    return slottedWindows(new ChromiumLoginWindows({
      profilesDir: home.profilesDir,
      executablePath: process.env['LATCHKEY_BROWSER'] ?? '/usr/bin/chromium',
      alwaysHidden: true,
      logger: home.logger,
      env,
    }));
  }

  function siteWithProfile(id: string): Site {
    usedProfiles.add(id);
    return { ...newSite({ url: lab.site.url, preset: 'shotgrid' }, []), id };
  }

  function login(site: Site, options: { allow: boolean; interactive?: boolean }): Promise<LoginResult> {
    return runLogin({ site, windows: windows(options.allow), interactive: options.interactive ?? true, clock: new ManualClock(Date.now()), logger: home.logger });
  }

  /** Whether Chromium has recorded, in the profile's Local State, that it met a Negotiate challenge (and so loads GSSAPI). */
  function profileLoadsGssapi(id: string): boolean {
    const state = JSON.parse(readFileSync(join(home.profilesDir, id, 'Local State'), 'utf8')) as { net?: { received_http_auth_negotiate_headers?: boolean } };
    return state.net?.received_http_auth_negotiate_headers === true;
  }

  const unanswered = (): LoginResult => ({ ending: 'cancelled', reason: `The sign-in prompt of ${listed}:${lab.idp.port} (Negotiate) was cancelled.` });

  it("signs in as ada at a site's first login, with no form and no prompt, once the IdP host is listed: her ticket, verified with the keytab", async () => {
    const site = siteWithProfile('listed');
    const result = await login(site, { allow: true });
    expect(result).toMatchObject({ ending: 'ok', session: { user: 'ada', credential: { name: '_session_id' } } });
    expect(verified).toEqual(['ada']);
    expect(profileLoadsGssapi('listed')).toBe(true);
  });

  it('sends no ticket to an IdP host missing from LATCHKEY_AUTH_SERVERS: the login ends as an unanswered prompt', async () => {
    const site = siteWithProfile('unlisted');
    // Unlisted: the profile is not marked, and its first challenge goes unanswered, as without Latchkey.
    expect(await login(site, { allow: false })).toEqual(unanswered());
    // From here on this profile's Chromium would load GSSAPI: only the list keeps the ticket back.
    expect(profileLoadsGssapi('unlisted')).toBe(true);
    expect(await login(site, { allow: false })).toEqual(unanswered());
    expect(verified).toEqual([]);
    // The same profile and ticket with the host listed: the list was the whole difference.
    expect(await login(site, { allow: true })).toMatchObject({ ending: 'ok', session: { user: 'ada' } });
    expect(verified).toEqual(['ada']);
  });

  it('renews silently in a hidden window by Negotiate once the IdP session has ended: no person needed', async () => {
    const site = siteWithProfile('renewal');
    const first = await login(site, { allow: true });
    expect(first).toMatchObject({ ending: 'ok', session: { user: 'ada' } });
    expect(lab.idp.endAllSessions()).toBeGreaterThan(0);
    const renewed = await login(site, { allow: true, interactive: false });
    expect(renewed).toMatchObject({ ending: 'ok', session: { user: 'ada' } });
    expect(renewed.ending === 'ok' && first.ending === 'ok' && renewed.session.credential.value !== first.session.credential.value).toBe(true);
    // One verified ticket per sign-in at the IdP: the renewal's came through the hidden window.
    expect(verified).toEqual(['ada', 'ada']);
  });

  it('ends a silent login with the host not listed as needing the person, without sending a ticket', async () => {
    const site = siteWithProfile('silent-unlisted');
    expect(await login(site, { allow: false })).toEqual(unanswered());
    const result = await login(site, { allow: false, interactive: false });
    expect(result).toEqual({ ending: 'http_error', status: 401, needsPerson: true, reason: `${listed}:${lab.idp.port} asks for a user name and password (Negotiate); only the person can answer.` });
    expect(verified).toEqual([]);
  });
});
