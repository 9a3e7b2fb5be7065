import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAgent } from '../../cli/client/agent-client.ts';
import { getSession } from '../../cli/client/get-session.ts';
import type { SessionGrant } from '../../core/common/views.ts';
import { startLiveAgent, type LiveAgent } from '../support/live-agent.ts';
import { runCli } from '../support/cli-process.ts';

// Every login mode through the agent and the command line: the lab's CloudShell-like site (oidc,
// the ID token exchanged for an API token), its Content Catalyst-like site (query: a session key
// from the landing URL) and its CloudShell Portal-like site (a JWT cookie), each registered with
// its preset through the Node client library and logged in by the lab IdP with no typing.

let live: LiveAgent;

/** One login mode: the site as registered, and what its session must be. */
interface ModeCase {
  name: string;
  preset: string;
  url: () => string;
  profile: () => Record<string, unknown>;
  kind: SessionGrant['credential']['kind'];
  credentialName: string;
  user: string;
  /** The credentials the lab site issued, oldest first. */
  issued: () => string[];
  /** What the site's `/api/whoami` answers with the session. */
  whoami: unknown;
}

const modes: ModeCase[] = [
  {
    name: 'lab-cloud',
    preset: 'cloudshell',
    url: () => live.lab.cloud.url,
    profile: () => ({ issuer: live.lab.idp.issuer, clientId: live.lab.cloud.clientId }),
    kind: 'bearer',
    credentialName: 'Authorization',
    user: 'ada@lab.example',
    issued: () => live.lab.cloud.issuedTokens(),
    whoami: { user: 'ada@lab.example', via: 'api-token' },
  },
  {
    name: 'lab-query',
    preset: 'query-key',
    url: () => live.lab.querySite.url,
    profile: () => ({}),
    kind: 'key',
    credentialName: 'SessionKey',
    user: 'ada',
    issued: () => live.lab.querySite.issuedKeys(),
    whoami: { user: 'ada' },
  },
  {
    name: 'lab-portal',
    preset: 'cloudshell-portal',
    url: () => live.lab.jwtSite.url,
    profile: () => ({}),
    kind: 'cookie',
    credentialName: 'portal_jwt',
    user: 'ada',
    issued: () => live.lab.jwtSite.issuedTokens(),
    whoami: { user: 'ada', email: 'ada@lab.example' },
  },
];

beforeAll(async () => {
  live = await startLiveAgent('cli-login-modes');
  const client = await connectAgent({ env: live.env, client: 'login-modes test' });
  try {
    for (const mode of modes) await client.call('addSite', { url: mode.url(), name: mode.name, preset: mode.preset, profile: mode.profile() });
  } finally {
    client.close();
  }
});

afterAll(async () => {
  await live?.close();
});

describe('each login mode through the agent and the command line', () => {
  it.each(modes)(
    '$preset: token prints what the site issued, get has its kind and user, api calls the site with it, and the client library gets the same',
    async (mode) => {
      const before = mode.issued().length;
      const token = await runCli(['token', mode.name], live.env);
      expect(token.code).toBe(0);
      expect(token.stderr).toContain(`Waiting for the login to ${mode.name}`);
      expect(mode.issued()).toHaveLength(before + 1);
      const value = mode.issued().at(-1) ?? '';
      expect(token.stdout === `${value}\n`).toBe(true);

      const [get, api, grant] = await Promise.all([
        runCli(['get', mode.name, '--format', 'json'], live.env),
        runCli(['api', mode.name, '/api/whoami'], live.env),
        getSession(mode.name, { env: live.env, client: 'login-modes test', wait: 0, prompt: false }),
      ]);
      expect(get.code).toBe(0);
      const handed = JSON.parse(get.stdout) as SessionGrant;
      expect(handed).toMatchObject({ siteUrl: mode.url(), user: mode.user, source: 'store' });
      expect([handed.credential.kind, handed.credential.name, handed.credential.value === value]).toEqual([mode.kind, mode.credentialName, true]);
      expect(api).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(api.stdout)).toEqual(mode.whoami);
      expect(grant).toEqual({ ...handed, source: 'store' });
      // One login served them all.
      expect(mode.issued()).toHaveLength(before + 1);
    },
  );
});

describe('latchkey api with a session key', () => {
  it('keeps the key out of its messages, and keeps the query the caller wrote', async () => {
    const key = (await getSession('lab-query', { env: live.env, wait: 30, prompt: false })).credential.value;
    const [missing, withQuery] = await Promise.all([
      runCli(['api', 'lab-query', '/api/missing?page=2'], live.env),
      runCli(['api', 'lab-query', '/api/whoami?page=2'], live.env),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('latchkey: GET /api/missing?page=2 answered HTTP 404 Not Found\n');
    expect(withQuery).toMatchObject({ code: 0, stdout: '{"user":"ada"}' });
    expect(missing.stderr.includes(key) || missing.stderr.includes(encodeURIComponent(key))).toBe(false);
  });

  it('on a 401 renews silently and calls again with the new key', async () => {
    const before = live.lab.querySite.issuedKeys().length;
    expect(live.lab.querySite.revokeAllKeys()).toBeGreaterThan(0);
    const api = await runCli(['api', 'lab-query', '/api/whoami'], live.env);
    expect(api).toMatchObject({ code: 0, stdout: '{"user":"ada"}' });
    expect(api.stderr).toContain('answered 401: renewing the session and trying once more');
    expect(live.lab.querySite.issuedKeys()).toHaveLength(before + 1);
  });

  it('takes a key from LATCHKEY_SESSION, sent as SessionKey unless LATCHKEY_SESSION_NAME says otherwise', async () => {
    const key = (await getSession('lab-query', { env: live.env, wait: 30, prompt: false })).credential.value;
    const env = { ...live.env, LATCHKEY_SESSION: key, LATCHKEY_SESSION_KIND: 'key', LATCHKEY_SITE_URL: live.lab.querySite.url };
    const [byDefault, otherName] = await Promise.all([
      runCli(['api', '/api/whoami'], env),
      runCli(['api', '/api/whoami'], { ...env, LATCHKEY_SESSION_NAME: 'sid' }),
    ]);
    expect(byDefault).toMatchObject({ code: 0, stdout: '{"user":"ada"}' });
    // The lab site reads only SessionKey: a key sent under another name is refused.
    expect(otherName.code).toBe(1);
    expect(otherName.stderr).toContain('answered HTTP 401 Unauthorized (LATCHKEY_SESSION was refused)');
  });
});
