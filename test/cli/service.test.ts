import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { launchdLabel, serviceEntry, systemdUnitName, windowsArgument, windowsTaskName, type ServiceContext } from '../../cli/service/service-entry.ts';
import { runCli } from '../support/cli-process.ts';
import { cliEnv } from '../support/live-agent.ts';
import { makeTestHome } from '../support/test-home.ts';

// The entry that starts the agent at login, for each platform (the platform injected): the systemd
// unit checked by systemd itself, the launchd property list and the Windows task definition parsed
// as XML and read field by field; then `latchkey service` on this machine.

const hostile = 'Studio "A" & <B> 100% $HOME `x` \\ end\\';

function context(platform: NodeJS.Platform, overrides: Partial<ServiceContext> = {}): ServiceContext {
  return {
    platform,
    nodePath: platform === 'win32' ? 'C:\\Program Files\\nodejs\\node.exe' : '/opt/node 24/bin/node',
    binPath: platform === 'win32' ? 'C:\\Users\\ada\\AppData\\Roaming\\npm\\node_modules\\latchkey\\bin\\latchkey.js' : '/opt/latchkey/bin/latchkey.js',
    latchkeyHome: platform === 'win32' ? `C:\\Users\\ada\\${hostile}` : `/home/ada/${hostile}`,
    latchkeyHost: null,
    outputPath: '/Users/ada/Library/Application Support/Latchkey/logs/agent-output.log',
    userHome: platform === 'darwin' ? '/Users/ada' : '/home/ada',
    configHome: null,
    windowsUser: 'STUDIO\\ada',
    windowsTaskDir: 'C:\\Users\\ada\\AppData\\Roaming\\Latchkey',
    uid: 501,
    ...overrides,
  };
}

/** Splits a Windows command line as CommandLineToArgvW does (the rules the C runtime also follows). */
function windowsArgv(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let quoted = false;
  let any = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '\\') {
      let slashes = 0;
      while (line[i] === '\\') {
        slashes++;
        i++;
      }
      if (line[i] === '"') {
        current += '\\'.repeat(Math.floor(slashes / 2));
        if (slashes % 2 === 1) current += '"';
        else quoted = !quoted;
      } else {
        current += '\\'.repeat(slashes);
        i--;
      }
      any = true;
    } else if (char === '"') {
      quoted = !quoted;
      any = true;
    } else if ((char === ' ' || char === '\t') && !quoted) {
      if (any) args.push(current);
      current = '';
      any = false;
    } else {
      current += char;
      any = true;
    }
  }
  if (any) args.push(current);
  return args;
}

const children = (element: Element): Element[] => Array.from(element.childNodes).filter((node): node is Element => node.nodeType === 1);
const child = (element: Element, name: string): Element => {
  const found = children(element).find((node) => node.localName === name);
  if (found === undefined) throw new Error(`no <${name}> in <${element.localName}>`);
  return found;
};

/** A property list's value as JavaScript (the types an entry uses). */
function plistValue(element: Element): unknown {
  switch (element.localName) {
    case 'string':
      return element.textContent ?? '';
    case 'true':
      return true;
    case 'false':
      return false;
    case 'array':
      return children(element).map(plistValue);
    case 'dict': {
      const entries = children(element);
      const result: Record<string, unknown> = {};
      for (let i = 0; i < entries.length; i += 2) {
        const key = entries[i];
        const value = entries[i + 1];
        if (key?.localName !== 'key' || value === undefined) throw new Error('a dict must alternate keys and values');
        result[key.textContent ?? ''] = plistValue(value);
      }
      return result;
    }
    default:
      throw new Error(`unexpected <${element.localName}>`);
  }
}

function parseXml(text: string): Element {
  const errors: string[] = [];
  const document = new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(message)) }).parseFromString(text, 'text/xml');
  expect(errors).toEqual([]);
  const root = document.documentElement;
  if (root === null) throw new Error('no document element');
  return root;
}

describe('the entry that starts the agent at login', () => {
  it('Linux: a systemd user unit that systemd accepts, running this Node and `agent run --home`', (context_) => {
    const entry = serviceEntry(context('linux'));
    expect(entry?.path).toBe(`/home/ada/.config/systemd/user/${systemdUnitName}`);
    expect(serviceEntry(context('linux', { configHome: '/xdg' }))?.path).toBe(`/xdg/systemd/user/${systemdUnitName}`);
    expect(entry?.enable).toEqual([
      ['systemctl', '--user', 'daemon-reload'],
      ['systemctl', '--user', 'enable', '--now', systemdUnitName],
    ]);
    const unit = String(entry?.content);
    expect(unit).toContain('ExecStart="/opt/node 24/bin/node" "/opt/latchkey/bin/latchkey.js" "agent" "run" "--home" "/home/ada/Studio \\"A\\" & <B> 100%% $$HOME `x` \\\\ end\\\\"\n');
    if (spawnSync('systemd-analyze', ['--version']).error !== undefined) {
      console.log('SKIP systemd-analyze verify: systemd is not installed on this machine');
      context_.skip();
      return;
    }
    // systemd checks that the program exists: a real Node, at a path with a space, as users have.
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-unit-'));
    const runtime = join(dir, 'run');
    mkdirSync(runtime, { mode: 0o700 });
    const real = String(serviceEntry(context('linux', { nodePath: process.execPath }))?.content);
    const path = join(dir, systemdUnitName);
    writeFileSync(path, real);
    const verify = spawnSync('systemd-analyze', ['verify', '--user', path], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime } });
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
    // The check is real: a unit with a mistake is reported.
    writeFileSync(path, real.replace('Restart=on-failure', 'Restart=sometimes'));
    expect(spawnSync('systemd-analyze', ['verify', '--user', path], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime } }).stderr).toContain('Failed to parse service restart specifier');
  });

  it('macOS: a LaunchAgent property list, field by field, loaded into the GUI session', () => {
    const entry = serviceEntry(context('darwin'));
    expect(entry?.path).toBe(`/Users/ada/Library/LaunchAgents/${launchdLabel}.plist`);
    expect(entry?.enable).toEqual([['launchctl', 'bootstrap', 'gui/501', `/Users/ada/Library/LaunchAgents/${launchdLabel}.plist`]]);
    expect(entry?.disable).toEqual([['launchctl', 'bootout', `gui/501/${launchdLabel}`]]);
    const root = parseXml(String(entry?.content));
    expect(root.localName).toBe('plist');
    expect(root.getAttribute('version')).toBe('1.0');
    expect(plistValue(child(root, 'dict'))).toEqual({
      Label: launchdLabel,
      ProgramArguments: ['/opt/node 24/bin/node', '/opt/latchkey/bin/latchkey.js', 'agent', 'run', '--home', `/home/ada/${hostile}`],
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ProcessType: 'Interactive',
      StandardOutPath: '/Users/ada/Library/Application Support/Latchkey/logs/agent-output.log',
      StandardErrorPath: '/Users/ada/Library/Application Support/Latchkey/logs/agent-output.log',
    });
  });

  it('Windows: a per-user task at logon, its definition in UTF-16, its arguments read back as Windows reads them', () => {
    const entry = serviceEntry(context('win32', { latchkeyHost: 'render-node-7' }));
    expect(entry?.path).toBe('C:\\Users\\ada\\AppData\\Roaming\\Latchkey\\latchkey-agent-task.xml');
    expect(entry?.enable).toEqual([
      ['schtasks', '/Create', '/TN', windowsTaskName, '/XML', entry?.path, '/F'],
      ['schtasks', '/Run', '/TN', windowsTaskName],
    ]);
    const bytes = entry?.content as Buffer;
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const root = parseXml(bytes.subarray(2).toString('utf16le'));
    expect(root.localName).toBe('Task');
    expect(root.namespaceURI).toBe('http://schemas.microsoft.com/windows/2004/02/mit/task');
    const logon = child(child(root, 'Triggers'), 'LogonTrigger');
    expect(child(logon, 'UserId').textContent).toBe('STUDIO\\ada');
    const principal = child(child(root, 'Principals'), 'Principal');
    expect([child(principal, 'UserId').textContent, child(principal, 'LogonType').textContent, child(principal, 'RunLevel').textContent]).toEqual(['STUDIO\\ada', 'InteractiveToken', 'LeastPrivilege']);
    const settings = child(root, 'Settings');
    expect(child(settings, 'ExecutionTimeLimit').textContent).toBe('PT0S');
    expect(child(settings, 'MultipleInstancesPolicy').textContent).toBe('IgnoreNew');
    const exec = child(child(root, 'Actions'), 'Exec');
    expect(child(exec, 'Command').textContent).toBe('C:\\Program Files\\nodejs\\node.exe');
    expect(windowsArgv(child(exec, 'Arguments').textContent ?? '')).toEqual([
      'C:\\Users\\ada\\AppData\\Roaming\\npm\\node_modules\\latchkey\\bin\\latchkey.js',
      'agent',
      'run',
      '--home',
      `C:\\Users\\ada\\${hostile}`,
      '--host',
      'render-node-7',
    ]);
  });

  it('quotes any argument so that Windows reads it back unchanged', () => {
    for (const value of ['', 'plain', 'two words', 'a"b', 'trailing\\', 'C:\\x y\\', '\\\\server\\share "q"\\\\', '\t tab']) {
      expect(windowsArgv(`prog ${windowsArgument(value)} next`)).toEqual(['prog', value, 'next']);
    }
  });

  it('has none for a platform without a known service manager', () => {
    expect(serviceEntry(context('freebsd'))).toBeNull();
  });
});

// The command on this machine: the Linux entry (other platforms' runners check theirs above).
describe.skipIf(process.platform !== 'linux')('latchkey service', () => {
  it('install, status and uninstall the entry (--files-only: the service manager is not asked)', async () => {
    const home = makeTestHome('service').dir;
    const config = join(home, 'xdg-config');
    const env = cliEnv(home, { XDG_CONFIG_HOME: config });
    const unit = join(config, 'systemd', 'user', systemdUnitName);
    expect(await runCli(['service', 'status'], env)).toMatchObject({ code: 1, stdout: `Not installed: the agent does not start at login (a systemd user unit would be ${unit}).\n` });

    const installed = await runCli(['service', 'install', '--files-only'], env);
    expect(installed).toMatchObject({
      code: 0,
      stdout: `Wrote a systemd user unit: ${unit}\nTo start the agent at login (and now), run:\n  systemctl --user daemon-reload\n  systemctl --user enable --now latchkey-agent.service\n`,
      stderr: '',
    });
    expect(readFileSync(unit, 'utf8')).toContain(`"agent" "run" "--home" "${home}"`);
    expect(await runCli(['service', 'status', '--files-only'], env)).toMatchObject({ code: 0, stdout: `Installed: a systemd user unit, ${unit}\n` });

    expect(await runCli(['service', 'uninstall', '--files-only'], env)).toMatchObject({ code: 0, stdout: `Removed a systemd user unit: ${unit}\n` });
    expect(existsSync(unit)).toBe(false);
    expect(await runCli(['service', 'uninstall'], env)).toMatchObject({ code: 0, stdout: `No service entry is installed (${unit}).\n` });
  });

  it('reports a service manager that refuses the entry, keeping the entry for a second try', async () => {
    const home = makeTestHome('service-refused').dir;
    const config = join(home, 'xdg-config');
    // A systemctl that answers as one without a user session does: the manager is not there.
    const bin = join(home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'systemctl'), '#!/bin/sh\necho "Failed to connect to bus: No medium found" >&2\nexit 1\n', { mode: 0o755 });
    const env = cliEnv(home, { XDG_CONFIG_HOME: config, PATH: `${bin}:${process.env['PATH'] ?? ''}` });
    const result = await runCli(['service', 'install'], env);
    const unit = join(config, 'systemd', 'user', systemdUnitName);
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr:
        `latchkey: A systemd user unit is written to ${unit}, but \`systemctl --user daemon-reload\` failed: Failed to connect to bus: No medium found.\n` +
        'hint: Run it in your desktop session, or `latchkey service uninstall` to remove the entry.\n',
    });
    expect(existsSync(unit)).toBe(true);
    const removed = await runCli(['service', 'uninstall'], env);
    expect(removed).toMatchObject({ code: 0, stdout: `Removed a systemd user unit: ${unit}\n` });
    expect(removed.stderr).toBe('`systemctl --user disable --now latchkey-agent.service` failed: Failed to connect to bus: No medium found; removing the entry anyway.\n');
  });
});
