import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusJson } from '../../cli/commands/status.ts';
import { runCli } from '../support/cli-process.ts';
import { cliEnv, startLiveAgent, type LiveAgent } from '../support/live-agent.ts';
import { makeTestHome } from '../support/test-home.ts';
import { homePaths } from '../../core/home.ts';

let live: LiveAgent;

beforeAll(async () => {
  live = await startLiveAgent('cli-command-line');
});

afterAll(async () => {
  await live?.close();
});

describe('latchkey sites add', () => {
  it('refuses a single word that is not a host, with a hint, and adds nothing', async () => {
    const before = live.engine.registry.list().length;
    const result = await runCli(['sites', 'add', 'notaurl'], live.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'latchkey: Site URL "notaurl" names the host "notaurl", which is not a full host name.\n' +
        "hint: Give the site's full address, e.g. https://notaurl.example.com (a host name with a dot, localhost, or an IP address).\n",
    );
    expect(live.engine.registry.list()).toHaveLength(before);
  });

  it('adds an oidc site with the cloudshell preset from named flags', async () => {
    const result = await runCli(
      ['sites', 'add', 'https://cloud.example.com', '--preset', 'cloudshell', '--issuer', 'https://login.example.com', '--client-id', 'latchkey-cli', '--scope', 'openid', '--scope', 'email', '--validate-path', '/api/whoami'],
      live.env,
    );
    expect(result.code, result.stderr).toBe(0);
    const site = live.engine.registry.find('https://cloud.example.com');
    expect(site.profile).toMatchObject({ preset: 'cloudshell', mode: 'oidc', issuer: 'https://login.example.com', clientId: 'latchkey-cli', scopes: ['openid', 'email'], validatePath: '/api/whoami' });
  });

  it('sets any profile field with --set, in the form the field takes', async () => {
    const result = await runCli(
      ['sites', 'add', 'https://intranet.example.com', '--name', 'Intranet', '--user-cookie', 'login', '--logout-path', '/logout', '--set', 'maxAgeMinutes=90', '--set', 'expiryCookies=exp_a,exp_b*', '--set', 'logoutRedirectUris=["https://idp.example.com/end"]'],
      live.env,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(live.engine.registry.find('Intranet').profile).toMatchObject({
      userCookie: 'login',
      logoutPath: '/logout',
      maxAgeMinutes: 90,
      expiryCookies: ['exp_a', 'exp_b*'],
      logoutRedirectUris: ['https://idp.example.com/end'],
    });
  });

  it.each([
    [['--set', 'noSuchField=1'], '--set takes FIELD=VALUE with a profile field, not "noSuchField=1".'],
    [['--set', 'maxAgeMinutes=soon'], 'Field maxAgeMinutes takes whole minutes or null, not "soon".'],
    [['--set', 'userCookie=a', '--user-cookie', 'b'], 'Field userCookie is given twice (--set).'],
    [['--name'], 'Option --name needs a value (NAME).'],
    [['--prest', 'shotgrid'], 'Unknown option --prest (did you mean --preset?).'],
  ])('refuses %j with exit 2', async (args, message) => {
    const result = await runCli(['sites', 'add', 'https://typo.example.com', ...args], live.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`latchkey: ${message}\nhint: Run \`latchkey sites add --help\`.\n`);
  });

  it('passes on what the agent refuses in a profile, naming the field', async () => {
    const result = await runCli(['sites', 'add', 'https://bad-path.example.com', '--landing-path', 'landing'], live.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('landingPath');
  });
});

describe('latchkey sites edit', () => {
  it('changes the name and profile fields of a site, and needs something to change', async () => {
    await runCli(['sites', 'add', 'https://edit.example.com', '--name', 'Edit me'], live.env);
    const changed = await runCli(['sites', 'edit', 'Edit me', '--name', 'Edited', '--validate-path', '/api/ping', '--set', 'idleTimeoutMinutes=480'], live.env);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toBe('Changed edit: Edited.\n');
    expect(live.engine.registry.find('edit')).toMatchObject({ name: 'Edited', profile: { validatePath: '/api/ping', idleTimeoutMinutes: 480 } });
    const nothing = await runCli(['sites', 'edit', 'edit'], live.env);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('Nothing to change');
  });
});

describe('a SITE that names two sites', () => {
  it('is refused, listing both, when one has it as its id and another as its name', async () => {
    const added = await runCli(['sites', 'add', 'https://other.example.com', '--name', live.site.id], live.env);
    expect(added.code, added.stderr).toBe(0);
    const other = live.engine.registry.find('https://other.example.com').id;
    const result = await runCli(['token', live.site.id, '--no-prompt'], live.env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `latchkey: "${live.site.id}" names more than one site: ${live.site.id}, ${other}.\nhint: Name the site by its URL; \`latchkey sites\` lists them.\n`,
    );
    await runCli(['sites', 'rm', other], live.env);
  });
});

describe('without an agent', () => {
  it('status and the site list print what the home lists; status exits 3, and neither starts an agent', async () => {
    const home = makeTestHome('cli-no-agent').dir;
    writeFileSync(
      join(home, 'sites.json'),
      JSON.stringify({ version: 1, sites: [{ id: 'studio', name: 'Studio', url: 'https://studio.example.com', default: true, profile: { preset: 'shotgrid' } }] }),
    );
    const env = cliEnv(home);
    const [status, json, sites] = await Promise.all([runCli(['status'], env), runCli(['status', '--json'], env), runCli(['sites'], env)]);
    expect(status.code).toBe(3);
    expect(status.stdout).toBe(
      `agent: not running (sessions unknown; the next command that needs one starts it)\nlog: ${homePaths(home).log}\nsource: agent\n\n` +
        'studio (default): Studio\n  url:     https://studio.example.com\n  session: unknown (no agent is running)\n',
    );
    expect(status.stderr).toMatch(/^latchkey: No Latchkey agent is running \(there is no .*agent\.json\)\.\n$/);
    expect(json.code).toBe(3);
    const document = JSON.parse(json.stdout) as StatusJson;
    expect(document.agent).toEqual({ running: false, version: null, pid: null, storage: null, storageNote: null });
    expect(document.log).toBe(homePaths(home).log);
    expect(document.sites).toEqual([{ id: 'studio', name: 'Studio', url: 'https://studio.example.com', default: true, state: null, user: null, expiresAt: null, obtainedAt: null, loggingIn: false }]);
    expect(sites.code).toBe(0);
    expect(sites.stdout).toBe('studio (default): Studio\n  url:     https://studio.example.com\n  session: unknown (no agent is running)\n');
    expect(sites.stderr).toBe('No agent is running: the sites the home lists, without their sessions.\n');
    expect((await runCli(['status'], env)).code).toBe(3);
  });
});

describe('times', () => {
  it('are shown in local time beside the relative form, and in UTC in --json', async () => {
    await runCli(['login'], live.env);
    const expiresAt = (live.engine.sessions.summary(live.engine.registry.find(live.site.id)).expiresAt ?? '');
    const [tokyo, json] = await Promise.all([runCli(['status', live.site.id], { ...live.env, TZ: 'Asia/Tokyo' }), runCli(['status', live.site.id, '--json'], { ...live.env, TZ: 'Asia/Tokyo' })]);
    // Tokyo is UTC+9 all year: the local time is the UTC time nine hours on.
    const local = new Date(Date.parse(expiresAt) + 9 * 3_600_000).toISOString().replace('T', ' ').slice(0, 16);
    expect(tokyo.stdout).toMatch(new RegExp(`session: valid as ada, expires ${local} \\(in \\d+ min\\)\\n`));
    expect((JSON.parse(json.stdout) as StatusJson).sites[0]?.expiresAt).toBe(expiresAt);
  });
});

describe('help', () => {
  it('names the command of exec, says what login prints, and lists every exit code', async () => {
    const [exec, login, top] = await Promise.all([runCli(['exec', '--help'], live.env), runCli(['login', '--help'], live.env), runCli(['--help'], live.env)]);
    expect(exec.stdout).toMatch(/^Usage: latchkey exec \[options\] \[SITE\] -- CMD \[ARGS\.\.\.\]\n/);
    expect(exec.stdout).not.toContain('words');
    expect(login.stdout).toContain("Prints the site's session state (never its value)");
    for (const code of ['0 ok', '1 error', '2 usage', '3 agent not running', '4 login required', '5 refused', '124 login timed out', '126', '127', '130 interrupted', '141']) expect(top.stdout).toContain(code);
    expect([exec.code, login.code, top.code]).toEqual([0, 0, 0]);
  });

  it('suggests the verb meant by a typo (exit 2)', async () => {
    const result = await runCli(['tokne'], live.env);
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: 'latchkey: Unknown command `latchkey tokne` (did you mean `token`?).\nhint: Run `latchkey --help`.\n' });
  });
});
