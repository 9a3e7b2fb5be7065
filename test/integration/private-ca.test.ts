import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumLoginWindows } from '../../core/browser/chromium-login-window.ts';
import { runLogin } from '../../core/login/login-flow.ts';
import type { LoginResult } from '../../core/login/login-result.ts';
import { newSite } from '../../core/sites/new-site.ts';
import { startLab, type Lab } from '../lab/lab.ts';
import { slottedWindows } from '../support/browser-slots.ts';
import { runCli, startCli } from '../support/cli-process.ts';
import { takeBrowserSlot } from '../support/browser-slots.ts';
import { homeTrusting, makeLabCa, type LabCa } from '../support/lab-ca.ts';
import { cliEnv } from '../support/live-agent.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { recordSecret } from '../support/secrets.ts';
import { makeTestHome, type TestHome } from '../support/test-home.ts';

// A site whose certificate comes from a CA made for this run (a company's private CA). On Linux
// the login browser trusts what the user's NSS store holds and the engine (Node) what OpenSSL's
// files or NODE_EXTRA_CA_CERTS hold: each is given the CA on its own, and a store without it
// gives `tls_error`, naming the host and why.

let dir: string;
let ca: LabCa;
let lab: Lab;
let home: TestHome;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lk-ca-'));
  ca = makeLabCa(join(dir, 'ca'), ['studio.localhost']);
  lab = await startLab({ autoLogin: 'ada', siteTls: { key: ca.key, cert: ca.cert } });
  home = makeTestHome('private-ca');
});

afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a site with a certificate from a private CA', () => {
  function windowLogin(browserHome: string): Promise<LoginResult> {
    const windows = slottedWindows(new ChromiumLoginWindows({
      profilesDir: join(browserHome, 'profiles'),
      alwaysHidden: true,
      logger: home.logger,
      env: { ...process.env, HOME: browserHome },
      ...(process.env['LATCHKEY_BROWSER'] ? { executablePath: process.env['LATCHKEY_BROWSER'] } : {}),
    }));
    const site = newSite({ url: lab.site.tlsUrl, preset: 'shotgrid' }, []);
    return runLogin({ site, windows, interactive: true, clock: new ManualClock(Date.now()), logger: home.logger });
  }

  it('logs in in a window whose NSS store trusts the CA, and ends `tls_error` in one whose store does not', async () => {
    const trusting = homeTrusting(join(dir, 'trusting'), ca.caFile);
    expect(await windowLogin(trusting)).toMatchObject({ ending: 'ok', session: { user: 'ada', credential: { name: '_session_id' } } });
    const bare = join(dir, 'bare');
    mkdirSync(bare, { recursive: true });
    const refused = await windowLogin(bare);
    expect(refused).toMatchObject({ ending: 'tls_error' });
    expect(refused.ending !== 'ok' && refused.reason).toContain(`studio.localhost:${lab.site.tlsPort}`);
  });

  it("ends an oidc login `tls_error` when the engine's own call meets a certificate it does not trust", async () => {
    // The issuer behind the CA this test process does not trust: its metadata is the first call.
    const site = newSite({ url: lab.cloud.url, preset: 'cloudshell', profile: { issuer: lab.site.tlsUrl, clientId: 'lab-cloud' } }, []);
    const windows = slottedWindows(new ChromiumLoginWindows({ profilesDir: home.profilesDir, alwaysHidden: true, logger: home.logger }));
    const result = await runLogin({ site, windows, interactive: true, clock: new ManualClock(Date.now()), logger: home.logger });
    expect(result).toMatchObject({ ending: 'tls_error' });
    expect(result.ending !== 'ok' && result.reason).toBe(
      `The certificate of studio.localhost:${lab.site.tlsPort} was refused: it was issued by a CA this machine does not trust, or the server sends an incomplete chain: UNABLE_TO_VERIFY_LEAF_SIGNATURE (The identity provider's metadata).`,
    );
  });

  it("reaches the site from the engine's side when OpenSSL's store or NODE_EXTRA_CA_CERTS holds the CA, and names the refusal otherwise", async () => {
    const session = lab.site.issueSession('ada');
    recordSecret(session);
    const emptyDir = join(dir, 'no-certs');
    mkdirSync(emptyDir, { recursive: true });
    // The system store made of the lab CA alone (SSL_CERT_FILE), or of nothing at all.
    const base = { LATCHKEY_SESSION: session, LATCHKEY_SITE_URL: lab.site.tlsUrl, SSL_CERT_DIR: emptyDir, NODE_EXTRA_CA_CERTS: undefined };
    const trusted = await runCli(['api', '/api/whoami'], cliEnv(home.dir, { ...base, SSL_CERT_FILE: ca.caFile }));
    expect({ code: trusted.code, out: trusted.stdout }).toEqual({ code: 0, out: expect.stringContaining('"user":"ada"') });
    const extra = await runCli(['api', '/api/whoami'], cliEnv(home.dir, { ...base, SSL_CERT_FILE: join(emptyDir, 'none.pem'), NODE_EXTRA_CA_CERTS: ca.caFile }));
    expect(extra.code).toBe(0);
    const refused = await runCli(['api', '/api/whoami'], cliEnv(home.dir, { ...base, SSL_CERT_FILE: join(emptyDir, 'none.pem') }));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`The certificate of studio.localhost:${lab.site.tlsPort} was refused: it was issued by a CA this machine does not trust`);
  });
});

describe('an identity provider with a certificate from a private CA, through the agent', () => {
  let idpLab: Lab;
  let idpCa: LabCa;

  beforeAll(async () => {
    idpCa = makeLabCa(join(dir, 'idp-ca'), ['idp.localhost']);
    idpLab = await startLab({ autoLogin: 'ada', idpTls: { key: idpCa.key, cert: idpCa.cert, ca: readFileSync(idpCa.caFile) } });
  });

  afterAll(async () => {
    await idpLab.close();
  });

  /**
   * `latchkey login` of a CloudShell-like site whose identity provider is on HTTPS, through a
   * headless agent whose browser trusts the CA or not (its HOME's NSS store) and whose own calls
   * trust it or not (SSL_CERT_FILE as the system's store). Answers the login command's run.
   */
  async function agentLogin(label: string, trust: { browser: boolean; engine: boolean }): Promise<{ code: number | null; stderr: string }> {
    const latchkeyHome = makeTestHome(label).dir;
    const userHome = join(dir, `${label}-user`);
    mkdirSync(userHome, { recursive: true });
    if (trust.browser) homeTrusting(userHome, idpCa.caFile);
    const noCerts = join(dir, `${label}-no-certs`);
    mkdirSync(noCerts, { recursive: true });
    const env = cliEnv(latchkeyHome, { HOME: userHome, SSL_CERT_DIR: noCerts, SSL_CERT_FILE: trust.engine ? idpCa.caFile : join(noCerts, 'none.pem'), NODE_EXTRA_CA_CERTS: undefined });
    const giveBack = await takeBrowserSlot();
    const agent = startCli(['agent', '--headless'], env);
    try {
      await agent.stderrHas('Stop it with Ctrl-C');
      const added = await runCli(['sites', 'add', idpLab.cloud.url, '--preset', 'cloudshell', '--issuer', idpLab.idp.issuer, '--client-id', idpLab.cloud.clientId], env);
      expect(added.code).toBe(0);
      const login = await runCli(['login'], env);
      return { code: login.code, stderr: login.stderr };
    } finally {
      agent.kill('SIGTERM');
      await agent.done;
      await giveBack();
    }
  }

  it('logs in when the browser and the engine both trust the CA', async () => {
    expect(idpLab.idp.issuer.startsWith('https://idp.localhost:')).toBe(true);
    expect(await agentLogin('ca-both', { browser: true, engine: true })).toMatchObject({ code: 0 });
  });

  it("ends `tls_error` naming the provider when the engine's store lacks the CA", async () => {
    const run = await agentLogin('ca-no-engine', { browser: true, engine: false });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('(tls_error)');
    expect(run.stderr).toContain(`The certificate of idp.localhost:${idpLab.idp.port} was refused`);
  });

  it("ends `tls_error` when the browser's NSS store lacks it", async () => {
    const run = await agentLogin('ca-no-browser', { browser: false, engine: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('(tls_error)');
    expect(run.stderr).toContain(`idp.localhost:${idpLab.idp.port}`);
  });
});
