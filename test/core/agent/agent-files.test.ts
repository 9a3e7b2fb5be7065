import { spawn } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAgentServer, type AgentServer } from '../../../core/agent/agent-server.ts';
import { agentRuntimeDir, homeKey, prepareRuntimeDir } from '../../../core/agent/runtime-dir.ts';
import { hostKey, hostName } from '../../../core/home.ts';
import { hasCode } from '../../../core/common/errors.ts';
import { makeTestHome } from '../../support/test-home.ts';
import { createFixtureEngine } from './fixture-handlers.ts';
import { hostFile } from '../../support/test-home.ts';

const cleanups: Array<() => Promise<void> | void> = [];
let savedXdg: string | undefined;

// These tests check the `<home>/run/` layout, which XDG_RUNTIME_DIR (set on many desktops and CI
// runners) would replace.
beforeEach(() => {
  savedXdg = process.env['XDG_RUNTIME_DIR'];
  delete process.env['XDG_RUNTIME_DIR'];
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  if (savedXdg !== undefined) process.env['XDG_RUNTIME_DIR'] = savedXdg;
});

function start(home: string, runtimeDir?: string): Promise<AgentServer> {
  return startAgentServer({ home, ...(runtimeDir === undefined ? {} : { runtimeDir }), handlers: createFixtureEngine().handlers, version: '0.0.0-test' }).then((agent) => {
    cleanups.push(() => agent.close());
    return agent;
  });
}

async function startFailure(home: string, runtimeDir?: string): Promise<unknown> {
  return start(home, runtimeDir).then(
    () => null,
    (error: unknown) => error,
  );
}

const modeOf = (path: string): number => lstatSync(path).mode & 0o777;

/** A file the agent must never touch, with its content and mode. */
function victim(dir: string): { path: string; check(): void } {
  const path = join(dir, 'victim.txt');
  writeFileSync(path, 'do not touch', { mode: 0o644 });
  chmodSync(path, 0o644);
  return {
    path,
    check: () => {
      expect(readFileSync(path, 'utf8')).toBe('do not touch');
      expect(lstatSync(path).isFile()).toBe(true);
      expect(modeOf(path)).toBe(0o644);
    },
  };
}

/** This host's socket folder in a home without XDG_RUNTIME_DIR. */
function runDir(home: string): string {
  return join(home, 'run', hostKey(hostName()));
}

describe('agent files', () => {
  it('makes the folder 0700, the socket 0600 and agent.json 0600 even under umask 000', async () => {
    const home = makeTestHome('files-umask').dir;
    const previous = process.umask(0);
    try {
      const agent = await start(home);
      expect(agent.socketPath).toBe(join(runDir(home), 'agent.sock'));
      expect(modeOf(join(home, 'run'))).toBe(0o700);
      expect(lstatSync(agent.socketPath).isSocket()).toBe(true);
      expect(modeOf(agent.socketPath)).toBe(0o600);
      expect(agent.discoveryPath).toBe(hostFile(home, 'agent.json'));
      expect(modeOf(agent.discoveryPath)).toBe(0o600);
      expect(modeOf(hostFile(home, 'agent.lock'))).toBe(0o600);
      expect(JSON.parse(readFileSync(agent.discoveryPath, 'utf8'))).toEqual({
        version: '0.0.0-test',
        pid: process.pid,
        socket: agent.socketPath,
        port: agent.port,
        token: agent.token,
      });
    } finally {
      process.umask(previous);
    }
  });

  it('tightens a runtime folder that was left open', async () => {
    const home = makeTestHome('files-loose').dir;
    mkdirSync(join(home, 'run'), { mode: 0o777 });
    chmodSync(join(home, 'run'), 0o777);
    await start(home);
    expect(modeOf(join(home, 'run'))).toBe(0o700);
  });

  it('puts each home and host in its own folder under XDG_RUNTIME_DIR, every level 0700', async () => {
    const xdg = mkdtempSync(join(tmpdir(), 'latchkey-xdg-'));
    const env = { XDG_RUNTIME_DIR: xdg };
    const one = await prepareRuntimeDir('/homes/one', { env, host: 'ws-a' });
    const two = await prepareRuntimeDir('/homes/two', { env, host: 'ws-a' });
    const otherHost = await prepareRuntimeDir('/homes/one', { env, host: 'ws-b' });
    expect(one).toBe(join(xdg, 'latchkey', homeKey('/homes/one/hosts/ws-a')));
    expect(new Set([one, two, otherHost]).size).toBe(3);
    for (const path of [join(xdg, 'latchkey'), one, two, otherHost]) expect(modeOf(path)).toBe(0o700);
    expect(agentRuntimeDir('/homes/one', { env, override: '/elsewhere' })).toBe('/elsewhere');
  });

  it('without XDG_RUNTIME_DIR, gives each host of a shared home its own folder under run/, named by a short key', async () => {
    const home = makeTestHome('files-run-hosts').dir;
    const a = await prepareRuntimeDir(home, { env: {}, host: 'render-node-7' });
    const b = await prepareRuntimeDir(home, { env: { XDG_RUNTIME_DIR: 'relative/is/ignored' }, host: 'workstation-a' });
    expect(a).toBe(join(home, 'run', hostKey('render-node-7')));
    expect(b).toBe(join(home, 'run', hostKey('workstation-a')));
    expect(hostKey('render-node-7')).toMatch(/^[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    for (const path of [join(home, 'run'), a, b]) expect(modeOf(path)).toBe(0o700);
    expect(agentRuntimeDir(home, { env: {} })).toBe(join(home, 'run', hostKey(hostName({}))));
  });

  it('does not follow a symbolic link planted at the socket path', async () => {
    const home = makeTestHome('files-socket-link').dir;
    const target = victim(home);
    mkdirSync(runDir(home), { recursive: true, mode: 0o700 });
    symlinkSync(target.path, join(runDir(home), 'agent.sock'));
    const agent = await start(home);
    expect(lstatSync(agent.socketPath).isSocket()).toBe(true);
    target.check();
  });

  it('does not follow a symbolic link planted at agent.json', async () => {
    const home = makeTestHome('files-json-link').dir;
    const target = victim(home);
    symlinkSync(target.path, hostFile(home, 'agent.json'));
    const agent = await start(home);
    expect(lstatSync(agent.discoveryPath).isFile()).toBe(true);
    expect(modeOf(agent.discoveryPath)).toBe(0o600);
    expect(JSON.parse(readFileSync(agent.discoveryPath, 'utf8')).token).toBe(agent.token);
    target.check();
  });

  it('does not follow a dangling symbolic link planted at agent.json', async () => {
    const home = makeTestHome('files-json-dangling').dir;
    const missing = join(home, 'created-through-link.json');
    symlinkSync(missing, hostFile(home, 'agent.json'));
    await start(home);
    expect(() => statSync(missing)).toThrow();
  });

  it('refuses a runtime folder that is a symbolic link', async () => {
    const home = makeTestHome('files-dir-link').dir;
    const elsewhere = mkdtempSync(join(tmpdir(), 'latchkey-elsewhere-'));
    chmodSync(elsewhere, 0o755);
    symlinkSync(elsewhere, join(home, 'run'));
    const error = await startFailure(home);
    expect(hasCode(error, 'agent_failed')).toBe(true);
    expect(modeOf(elsewhere)).toBe(0o755);
    expect(() => lstatSync(join(elsewhere, 'agent.sock'))).toThrow();
    // A failed start leaves no claim on the home.
    expect(() => lstatSync(hostFile(home, 'agent.lock'))).toThrow();
    expect(() => lstatSync(hostFile(home, 'agent.json'))).toThrow();
  });

  it.skipIf(process.getuid?.() !== 0)('refuses a runtime folder owned by another user', async () => {
    const home = makeTestHome('files-dir-owner').dir;
    mkdirSync(join(home, 'run'), { mode: 0o700 });
    chownSync(join(home, 'run'), 4242, 4242);
    const error = await startFailure(home);
    expect(hasCode(error, 'agent_failed')).toBe(true);
    expect(String((error as Error).message)).toContain('another user');
  });

  it('refuses a regular file in the way of the socket, and leaves it alone', async () => {
    const home = makeTestHome('files-socket-file').dir;
    mkdirSync(runDir(home), { recursive: true, mode: 0o700 });
    writeFileSync(join(runDir(home), 'agent.sock'), 'mine');
    const error = await startFailure(home);
    expect(hasCode(error, 'agent_failed')).toBe(true);
    expect(readFileSync(join(runDir(home), 'agent.sock'), 'utf8')).toBe('mine');
  });

  it('replaces a stale socket left by a killed process', async () => {
    const home = makeTestHome('files-stale-socket').dir;
    const path = join(runDir(home), 'agent.sock');
    mkdirSync(runDir(home), { recursive: true, mode: 0o700 });
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(lstatSync(path).isSocket()).toBe(true);
    const agent = await start(home);
    expect(lstatSync(agent.socketPath).isSocket()).toBe(true);
  });

  it('refuses to take over a socket that something still answers on', async () => {
    const home = makeTestHome('files-live-socket').dir;
    mkdirSync(runDir(home), { recursive: true, mode: 0o700 });
    const path = join(runDir(home), 'agent.sock');
    const squatter: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(path, resolve));
    cleanups.push(() => new Promise<void>((resolve) => squatter.close(() => resolve())));
    const error = await startFailure(home);
    expect(hasCode(error, 'agent_running')).toBe(true);
    expect(lstatSync(path).isSocket()).toBe(true);
  });

  it('refuses a socket path too long for the kernel', async () => {
    const home = makeTestHome('files-long').dir;
    const error = await startFailure(home, join(home, 'x'.repeat(120)));
    expect(hasCode(error, 'agent_failed')).toBe(true);
  });
});
