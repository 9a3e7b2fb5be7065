import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makeTestHome } from '../support/test-home.ts';

const bin = new URL('../../bin/latchkey.js', import.meta.url).pathname;

function latchkey(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('latchkey demo', () => {
  it('logs in to the lab site and prints the user, the expiry and the API answer', async () => {
    const home = makeTestHome('demo');
    const result = await latchkey(['demo', '--auto-login', 'ada', '--headless'], {
      ...process.env,
      LATCHKEY_HOME: home.dir,
      LATCHKEY_BROWSER: process.env['LATCHKEY_BROWSER'] ?? '/usr/bin/chromium',
    });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Logged in to http:\/\/studio\.localhost:\d+ as ada\.$/);
    const expiry = /expires at (\S+)\.$/.exec(lines[1] ?? '')?.[1];
    expect(Date.parse(expiry ?? '') - Date.now()).toBeGreaterThan(3_000_000);
    expect(lines[2]).toContain('GET /api/whoami with 200: {"user":"ada"}');
    expect(result.stderr).toContain('SSO lab: identity provider http://idp.localhost:');
  });

  it('explains what to do where no desktop exists for the window', async () => {
    const home = makeTestHome('demo-nodisplay');
    const env: NodeJS.ProcessEnv = { ...process.env, LATCHKEY_HOME: home.dir };
    delete env['DISPLAY'];
    delete env['WAYLAND_DISPLAY'];
    const result = await latchkey(['demo'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('DISPLAY is not set');
    expect(result.stderr).toContain('--auto-login ada --headless');
  });

  it('exits 2 on a usage mistake', async () => {
    const result = await latchkey(['demo', '--no-such-flag'], process.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option/);
  });
});
