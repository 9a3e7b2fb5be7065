import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTestHome } from '../support/test-home.ts';
import { cliEnv, runCli, startCli } from './live-agent.ts';

describe('latchkey demo', () => {
  it('logs in to the lab site, shows the session at work, and serves other terminals until Ctrl-C', async () => {
    const home = makeTestHome('demo').dir;
    const env = cliEnv(home);
    const demo = startCli(['demo', '--auto-login', 'ada', '--headless'], env, { timeoutMs: 90_000 });
    await demo.stderrHas('signs in ada by itself');
    await demo.stdoutHas('Press Ctrl-C to stop.');
    // Another terminal, while the demo runs.
    const [token, api] = await Promise.all([runCli(['token', 'demo', '--no-prompt'], env), runCli(['api', 'demo', '/api/whoami'], env)]);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^\S{16,}\n$/);
    expect(api).toMatchObject({ code: 0, stdout: '{"user":"ada"}' });

    demo.kill('SIGINT');
    const result = await demo.done;
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^Logged in to http:\/\/studio\.localhost:\d+ as ada\.$/);
    const expiry = /expires at (\S+)\.$/.exec(lines[1] ?? '')?.[1];
    expect(Date.parse(expiry ?? '') - Date.now()).toBeGreaterThan(3_000_000);
    expect(lines[2]).toContain('GET /api/whoami with 200: {"user":"ada"}');
    expect(result.stdout).toContain(`LATCHKEY_HOME='${home}' latchkey token demo\n`);
    expect(result.stdout).toContain(`LATCHKEY_HOME='${home}' latchkey api demo /api/whoami\n`);
    expect(result.stderr).toContain('SSO lab: identity provider http://idp.localhost:');
    expect(existsSync(join(home, 'agent.json'))).toBe(false);
  });

  it('explains what to do where no desktop exists for the window', async () => {
    const env = cliEnv(makeTestHome('demo-nodisplay').dir);
    delete env['DISPLAY'];
    delete env['WAYLAND_DISPLAY'];
    const result = await runCli(['demo'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('DISPLAY is not set');
    expect(result.stderr).toContain('--auto-login ada --headless');
  });

  it('exits 2 on a usage mistake', async () => {
    const result = await runCli(['demo', '--no-such-flag'], cliEnv(makeTestHome('demo-usage').dir));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option/);
  });
});
