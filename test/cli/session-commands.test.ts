import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestLoopback } from '../lab/lab.ts';
import { makeTestHome } from '../support/test-home.ts';
import { cliEnv, startLiveAgent, type LiveAgent } from '../support/live-agent.ts';
import { runCli, startCli } from '../support/cli-process.ts';

const exec = promisify(execFile);
let live: LiveAgent;

async function whoami(cookieHeader: string): Promise<number> {
  return (await requestLoopback(`${live.lab.site.url}/api/whoami`, { headers: { Cookie: cookieHeader } })).status;
}

beforeAll(async () => {
  live = await startLiveAgent('cli-session');
});

afterAll(async () => {
  await live?.close();
});

describe('latchkey token', () => {
  it('logs in on first use, showing progress on stderr only, and prints the bare session value', async () => {
    const issued = live.lab.site.issuedSessions().length;
    const first = await runCli(['token'], live.env);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('Waiting for the login to the default site');
    const value = first.stdout.trimEnd();
    expect(live.lab.site.issuedSessions()).toHaveLength(issued + 1);
    expect(live.lab.site.issuedSessions().at(-1) === value).toBe(true);
    expect(first.stdout).toBe(`${value}\n`);

    const again = await runCli(['token', live.site.id], live.env);
    expect(again.code).toBe(0);
    expect(again.stdout === first.stdout).toBe(true);
    // A valid stored session answers at once: no progress line.
    expect(again.stderr).toBe('');
  });

  it('finds the site by name, host, URL and LATCHKEY_SITE, and exits 1 for an unknown one', async () => {
    const expected = `${live.storedToken()}\n`;
    const host = new URL(live.site.url).host;
    const refs = ['Studio', host, `${live.site.url}/some/page`];
    const [byEnv, unknown, unknownUrl, ...found] = await Promise.all([
      runCli(['token'], { ...live.env, LATCHKEY_SITE: live.site.id }),
      runCli(['token', 'nosuchsite'], live.env),
      runCli(['token', 'http://elsewhere.localhost:1'], live.env),
      ...refs.map((ref) => runCli(['token', ref], live.env)),
    ]);
    expect(found.map((result, i) => [refs[i], result.code, result.stdout === expected])).toEqual(refs.map((ref) => [ref, 0, true]));
    expect(byEnv?.stdout === expected).toBe(true);
    expect(unknown?.code).toBe(1);
    expect(unknown?.stdout).toBe('');
    expect(unknown?.stderr).toContain('No site matches "nosuchsite"');
    expect(unknownUrl?.code).toBe(1);
  });
});

describe('latchkey get', () => {
  it('prints the grant as JSON with every documented field', async () => {
    const result = await runCli(['get', '--format', 'json'], live.env);
    expect(result.code).toBe(0);
    const grant = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(grant).sort()).toEqual(['cookies', 'credential', 'expiresAt', 'headers', 'obtainedAt', 'site', 'siteUrl', 'source', 'user']);
    expect(grant['site']).toBe(live.site.id);
    expect(grant['siteUrl']).toBe(live.site.url);
    expect(grant['user']).toBe('ada');
    expect(grant['source']).toBe('store');
    const credential = grant['credential'] as { kind: string; name: string; value: string };
    expect([credential.kind, credential.name]).toEqual(['cookie', '_session_id']);
    expect(await whoami(`_session_id=${credential.value}`)).toBe(200);
  });

  it('prints request headers that the site accepts', async () => {
    const result = await runCli(['get', '--format', 'header'], live.env);
    expect(result.code).toBe(0);
    const match = /^Cookie: (.*)\n$/.exec(result.stdout);
    expect(match).not.toBeNull();
    expect(match?.[1]).toContain('_session_id=');
    expect(await whoami(match?.[1] ?? '')).toBe(200);
  });

  it('prints shell-quoted export lines that a shell reads back exactly', async () => {
    const result = await runCli(['get', '--format', 'env'], live.env);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean).map((line) => line.split('=')[0])).toEqual([
      'export LATCHKEY_SITE_URL',
      'export LATCHKEY_SESSION',
      'export LATCHKEY_SESSION_KIND',
      'export LATCHKEY_SESSION_NAME',
      'export LATCHKEY_COOKIE',
    ]);
    const script = `${result.stdout}\nprintf '%s|%s|%s|%s' "$LATCHKEY_SITE_URL" "$LATCHKEY_SESSION_KIND" "$LATCHKEY_SESSION_NAME" "$LATCHKEY_SESSION"`;
    const { stdout } = await exec('sh', ['-c', script]);
    expect(stdout === `${live.site.url}|cookie|_session_id|${live.storedToken()}`).toBe(true);
  });

  it('writes a Netscape cookies.txt that curl sends to the site', async () => {
    const result = await runCli(['get', '--format', 'netscape'], live.env);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('# Netscape HTTP Cookie File');
    const session = lines.find((line) => line.includes('\t_session_id\t'))?.split('\t');
    expect(session?.slice(0, 4)).toEqual(['#HttpOnly_studio.localhost', 'FALSE', '/', 'FALSE']);
    // The expiry of the cookie the login captured, in whole seconds.
    const captured = live.engine.store.get(live.site.id)?.cookies.find((cookie) => cookie.name === '_session_id');
    expect(Number(session?.[4])).toBe(Math.floor(captured?.expires ?? 0));
    const file = join(live.home.dir, 'cookies.txt');
    writeFileSync(file, result.stdout, { mode: 0o600 });
    // curl resolves *.localhost to loopback by itself.
    const { stdout } = await exec('curl', ['-sS', '-b', file, `${live.site.url}/api/whoami`]);
    expect(stdout).toBe('{"user":"ada"}');
  });

  it('refuses an unknown format with exit 2', async () => {
    const result = await runCli(['get', '--format', 'xml'], live.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format takes json, header, env, powershell, cmd, netscape, not "xml".');
  });
});

describe('latchkey exec', () => {
  it('gives the child the session variables and passes its exit code through', async () => {
    const token = live.storedToken();
    const result = await runCli(['exec', live.site.id, '--', 'sh', '-c', 'printf "%s|%s" "$LATCHKEY_SITE_URL" "$LATCHKEY_SESSION"; case "$LATCHKEY_COOKIE" in *_session_id=*) exit 7;; esac; exit 9'], live.env);
    expect(result.code).toBe(7);
    expect(result.stdout === `${live.site.url}|${token}`).toBe(true);
  });

  it('exits 128 + N for a child ended by signal N, 127 for a missing command, 2 without `--`', async () => {
    const [signalled, missing, noDash, twoSites] = await Promise.all([
      runCli(['exec', '--', 'sh', '-c', 'kill -TERM $$'], live.env),
      runCli(['exec', '--', 'no-such-command-latchkey'], live.env),
      runCli(['exec', 'sh', '-c', 'true'], live.env),
      runCli(['exec', 'a', 'b', '--', 'true'], live.env),
    ]);
    expect([signalled.code, missing.code, noDash.code, twoSites.code]).toEqual([143, 127, 2, 2]);
    expect(missing.stderr).toContain('no-such-command-latchkey: command not found');
  });

  it('passes an interruption on to the child and exits with the child', async () => {
    const child = startCli(['exec', '--', 'sh', '-c', 'echo started >&2; exec sleep 30'], live.env);
    await child.stderrHas('started');
    child.kill('SIGINT');
    const result = await child.done;
    expect(result.code).toBe(130);
  });
});

describe('latchkey api', () => {
  it("prints the site's answer and exits 0 on a 2xx", async () => {
    const result = await runCli(['api', '/api/whoami'], live.env);
    expect(result).toMatchObject({ code: 0, stdout: '{"user":"ada"}', stderr: '' });
    const withSite = await runCli(['api', live.site.id, '/api/whoami', '-H', 'Accept: application/json'], live.env);
    expect(withSite.stdout).toBe('{"user":"ada"}');
  });

  it('exits 1 with the status on stderr for a non-2xx answer, and refuses a path off the site', async () => {
    const notFound = await runCli(['api', '/api/nothing-here'], live.env);
    expect(notFound.code).toBe(1);
    expect(notFound.stdout).toBe('not found');
    expect(notFound.stderr).toContain('GET /api/nothing-here answered HTTP 404');
    const post = await runCli(['api', '/api/whoami', '-d', '{"a":1}'], live.env);
    expect(post.stderr).toContain('POST /api/whoami answered HTTP 404');
    const offSite = await Promise.all(['//evil.example/x', 'api/whoami', 'http://evil.example/'].map((path) => runCli(['api', path], live.env)));
    expect(offSite.map((run) => run.code)).toEqual([2, 2, 2]);
  });

  it('on a 401 invalidates the session, renews it silently once and retries', async () => {
    const before = live.storedToken();
    const issued = live.lab.site.issuedSessions().length;
    const opened = live.opened.length;
    live.lab.site.revokeAllSessions();
    const result = await runCli(['api', '/api/whoami'], live.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('{"user":"ada"}');
    expect(result.stderr).toContain('answered 401: renewing the session');
    expect(live.lab.site.issuedSessions()).toHaveLength(issued + 1);
    expect(live.opened.slice(opened)).toEqual([{ visible: false }]);
    expect(live.storedToken() === before).toBe(false);
  });
});

describe('LATCHKEY_SESSION', () => {
  it('overrides the agent for token, get, api and exec, and status says source: env', async () => {
    const token = live.storedToken() ?? 'missing';
    // A home without an agent: everything must come from the environment.
    const env = cliEnv(makeTestHome('cli-env').dir, { LATCHKEY_SESSION: token, LATCHKEY_SITE_URL: live.site.url });
    const [bare, header, json, api, child, status] = await Promise.all([
      runCli(['token'], env),
      runCli(['get', '--format', 'header'], env),
      runCli(['get'], env),
      runCli(['api', '/api/whoami'], env),
      runCli(['exec', '--', 'sh', '-c', 'test "$LATCHKEY_SESSION" = "$EXPECTED"'], { ...env, EXPECTED: token }),
      runCli(['status'], env),
    ]);
    expect(bare.stdout === `${token}\n`).toBe(true);
    expect(header.stdout === `Cookie: _session_id=${token}\n`).toBe(true);
    const grant = JSON.parse(json.stdout) as { source: string; site: unknown; siteUrl: string };
    expect([grant.source, grant.site, grant.siteUrl]).toEqual(['env', null, live.site.url]);
    expect(api).toMatchObject({ code: 0, stdout: '{"user":"ada"}' });
    expect(child.code).toBe(0);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('agent: not running');
    expect(status.stdout).toContain(`source: env (LATCHKEY_SESSION is set: token, get, exec and api use it for ${live.site.url}, not the agent)`);
  });

  it('serves only the site it names: inside `exec A`, a command for site B asks the agent, never handing A\'s session to B', async () => {
    const studio = (await runCli(['token', live.site.id], live.env)).stdout.trimEnd();
    expect(studio).not.toBe('');
    const other = await live.engine.handlers.addSite({ url: live.lab.querySite.url, name: 'Elsewhere', preset: 'query-key' }, { client: 'test' });
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'latchkey.js');
    // Each line: what a script run by `exec studio` gets when it asks for a site.
    const script = [
      'for site in "" "$STUDIO_ID" "$STUDIO_URL" "$STUDIO_HOST" "$OTHER_ID" "$OTHER_URL" Elsewhere; do',
      '  out=$("$NODE" "$BIN" token $site 2>/dev/null); printf "%s=%s:%s\\n" "$site" "$?" "$out"',
      'done',
      'out=$("$NODE" "$BIN" get "$OTHER_ID" --format env 2>/dev/null | grep "LATCHKEY_SESSION=" ); printf "get=%s\\n" "$out"',
      'out=$("$NODE" "$BIN" api "$OTHER_ID" /api/whoami 2>/dev/null); printf "api=%s:%s\\n" "$?" "$out"',
    ].join('\n');
    const result = await runCli(['exec', live.site.id, '--', 'sh', '-c', script], {
      ...live.env,
      NODE: process.execPath,
      BIN: bin,
      STUDIO_ID: live.site.id,
      STUDIO_URL: live.site.url,
      STUDIO_HOST: new URL(live.site.url).host,
      OTHER_ID: other.id,
      OTHER_URL: other.url,
    });
    expect(result.code).toBe(0);
    const elsewhere = live.engine.store.get(other.id)?.credential.value ?? 'no session for the other site';
    expect(elsewhere === studio).toBe(false);
    const lines = result.stdout.trimEnd().split('\n');
    // Site A by no name, id, URL or host: the session exec was given. Site B by any name: B's own, from the agent.
    const expected = [
      ...['', live.site.id, live.site.url, new URL(live.site.url).host].map((site) => `${site}=0:${studio}`),
      ...[other.id, other.url, 'Elsewhere'].map((site) => `${site}=0:${elsewhere}`),
      `get=export LATCHKEY_SESSION='${elsewhere}'`,
      'api=0:{"user":"ada"}',
    ];
    expect(lines.length === expected.length && lines.every((line, index) => line === expected[index])).toBe(true);
    await live.engine.handlers.removeSite({ id: other.id }, { client: 'test' });
  });

  it('sends a bearer token when asked, needs LATCHKEY_SITE_URL to call the site, and reports a refused value', async () => {
    const home = makeTestHome('cli-env2').dir;
    const [bearer, noUrl, refused, badKind] = await Promise.all([
      runCli(['get', '--format', 'header'], cliEnv(home, { LATCHKEY_SESSION: 'abc123xyz', LATCHKEY_SESSION_KIND: 'bearer' })),
      runCli(['api', '/api/whoami'], cliEnv(home, { LATCHKEY_SESSION: 'abc123xyz' })),
      runCli(['api', '/api/whoami'], cliEnv(home, { LATCHKEY_SESSION: 'not-a-session', LATCHKEY_SITE_URL: live.site.url })),
      runCli(['token'], cliEnv(home, { LATCHKEY_SESSION: 'abc123xyz', LATCHKEY_SESSION_KIND: 'magic' })),
    ]);
    expect(bearer.stdout).toBe('Authorization: Bearer abc123xyz\n');
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('LATCHKEY_SITE_URL');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('HTTP 401 Unauthorized (LATCHKEY_SESSION was refused)');
    expect(badKind.code).toBe(2);
  });
});
