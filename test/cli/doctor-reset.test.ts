import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../core/agent/process-alive.ts';
import { systemdUnitName } from '../../cli/service/service-entry.ts';
import { takeBrowserSlot } from '../support/browser-slots.ts';
import { runCli } from '../support/cli-process.ts';
import { cliEnv } from '../support/live-agent.ts';
import { makeTestHome } from '../support/test-home.ts';
import { until } from '../support/until.ts';
import { homePaths, hostName } from '../../core/home.ts';

// `latchkey doctor` checks what a login needs here; `latchkey reset` removes what Latchkey keeps.

const started: number[] = [];
afterAll(() => {
  for (const pid of started) if (isProcessAlive(pid)) process.kill(pid, 'SIGTERM');
});

describe('latchkey doctor', () => {
  it('starts the login browser once and reports each check; a proxy password is never shown', async () => {
    const home = makeTestHome('doctor').dir;
    const env = cliEnv(home, { HTTPS_PROXY: 'http://bob:hunter2-proxy@proxy.example:3128', NO_PROXY: 'localhost', NODE_EXTRA_CA_CERTS: undefined });
    const giveBack = await takeBrowserSlot();
    let result;
    try {
      result = await runCli(['doctor'], env);
    } finally {
      await giveBack();
    }
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok {4}browser {7}\S.* \(\d+\.[\d.]+\) starts$/m);
    expect(result.stdout).toContain('warn  agent         not running, and LATCHKEY_NO_AUTOSTART=1 keeps commands from starting one\n');
    expect(result.stdout).toContain('HTTPS_PROXY=http://***@proxy.example:3128/, NO_PROXY=localhost');
    expect(result.stdout).not.toContain('hunter2');
    expect(result.stdout).toContain(`ok    log           ${homePaths(home).log}\n`);
    expect(result.stdout.endsWith('Nothing stops a login here.\n')).toBe(true);
  });

  it('fails (exit 1) on what stops a login, saying what to fix', async () => {
    const home = makeTestHome('doctor-fails').dir;
    const result = await runCli(['doctor'], cliEnv(home, { LATCHKEY_BROWSER: join(home, 'no-browser'), NODE_EXTRA_CA_CERTS: join(home, 'no-ca.pem') }));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`FAIL  browser       LATCHKEY_BROWSER is set to ${join(home, 'no-browser')}, which is not an executable file.\n`);
    expect(result.stdout).toMatch(/^ {20}fix: Install Google Chrome/m);
    expect(result.stdout).toContain(`FAIL  certificates  NODE_EXTRA_CA_CERTS=${join(home, 'no-ca.pem')} does not exist\n`);
    expect(result.stdout.endsWith('2 problems stop a login here.\n')).toBe(true);
  });
});

describe('latchkey reset', () => {
  it('asks first: without a terminal it needs --yes, and removes nothing', async () => {
    const home = makeTestHome('reset-ask').dir;
    writeFileSync(join(home, 'sites.json'), '{"sites":[]}\n');
    const result = await runCli(['reset'], cliEnv(home));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Nobody is here to confirm: pass --yes');
    expect(existsSync(join(home, 'sites.json'))).toBe(true);
  });

  it('removes only what Latchkey made: a home that holds other files keeps them, and says so', async () => {
    const home = makeTestHome('reset-shared').dir;
    mkdirSync(join(home, 'profiles', 'studio'), { recursive: true });
    writeFileSync(join(home, 'sites.json'), '{"sites":[]}\n');
    writeFileSync(join(home, 'sessions.json.corrupt-2026'), '{}');
    writeFileSync(join(home, 'my-notes.txt'), 'mine\n');
    const result = await runCli(['reset', '--yes'], cliEnv(home));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Removed Latchkey's files from ${home}; left what Latchkey did not make there: my-notes.txt.\n`);
    expect(readdirSync(home)).toEqual(['my-notes.txt']);
  });

  it("on a home shared by several machines, removes this machine's folder, and the rest with the last one", async () => {
    const home = makeTestHome('reset-hosts').dir;
    writeFileSync(join(home, 'sites.json'), '{"version":1,"sites":[]}\n');
    // This machine is one of them (the test home's log is in its folder already).
    const here = hostName();
    for (const host of [here, 'ws-b']) {
      mkdirSync(join(home, 'hosts', host, 'profiles', 'studio'), { recursive: true });
      writeFileSync(join(home, 'hosts', host, 'sessions.json'), '{"version":1,"sessions":{}}\n');
    }
    const first = await runCli(['reset', '--yes'], cliEnv(home));
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Removed this host's files (${here}) from ${home}. Other hosts share this home (ws-b): their folders and the site list are kept`);
    expect(readdirSync(home).sort()).toEqual(['hosts', 'sites.json']);
    expect(readdirSync(join(home, 'hosts'))).toEqual(['ws-b']);
    const last = await runCli(['reset', '--yes'], cliEnv(home, { LATCHKEY_HOST: 'ws-b' }));
    expect(last.code).toBe(0);
    expect(last.stdout).toContain(`Removed ${home}.\n`);
    expect(existsSync(home)).toBe(false);
  });

  it('stops the agent, removes its start at login and the home', async () => {
    const home = makeTestHome('reset').dir;
    const config = join(home, '..', `${home.split('/').at(-1)}-xdg`);
    // A service manager that is not there, as in this container (see service.test.ts).
    const bin = join(`${home}-bin`);
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'systemctl'), '#!/bin/sh\necho "Failed to connect to bus: No medium found" >&2\nexit 1\n', { mode: 0o755 });
    const env = cliEnv(home, { LATCHKEY_NO_AUTOSTART: undefined, XDG_CONFIG_HOME: config, PATH: `${bin}:${process.env['PATH'] ?? ''}` });
    const added = await runCli(['sites', 'add', 'https://studio.example.com'], env);
    expect(added.code).toBe(0);
    const pid = Number(/\(pid (\d+)\)/.exec(added.stderr)?.[1]);
    started.push(pid);
    expect((await runCli(['service', 'install', '--files-only'], env)).code).toBe(0);
    const unit = join(config, 'systemd', 'user', systemdUnitName);
    expect(existsSync(unit)).toBe(true);

    const reset = await runCli(['reset', '--yes'], env);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toBe(
      `Stopped the Latchkey agent (pid ${pid}).\n` +
        `Removed a systemd user unit: ${unit}\n` +
        `Removed ${home}.\n` +
        'Latchkey keeps nothing else for this home. To remove the command too: npm uninstall --global latchkey.\n',
    );
    expect(reset.stderr).toBe('`systemctl --user disable --now latchkey-agent.service` failed: Failed to connect to bus: No medium found; removing the entry anyway.\n');
    expect(existsSync(home)).toBe(false);
    expect(existsSync(unit)).toBe(false);
    await until(() => isProcessAlive(pid), (alive) => !alive);
    // A second reset finds nothing left.
    expect(await runCli(['reset', '--yes'], env)).toMatchObject({ code: 0, stdout: 'Latchkey keeps nothing else for this home. To remove the command too: npm uninstall --global latchkey.\n' });
  });
});
