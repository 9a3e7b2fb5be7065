import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAgentServer, type AgentServer } from '../../../core/agent/agent-server.ts';
import { readDiscovery } from '../../../core/agent/discovery-file.ts';
import { probeAgent } from '../../../core/agent/agent-probe.ts';
import { homePaths } from '../../../core/home.ts';
import { hasCode, LatchkeyError } from '../../../core/common/errors.ts';
import { makeTestHome } from '../../support/test-home.ts';
import { agentProcess, honestHeaders, jsonBody, send, startTestAgent, type TestAgent } from './agent-harness.ts';
import { createFixtureEngine } from './fixture-handlers.ts';
import { hostFile } from '../../support/test-home.ts';

const cleanups: Array<() => Promise<void> | void> = [];

/** What this process's lock holds: its pid and its host. */
const ownLock = `${process.pid} ${encodeURIComponent(hostname())}\n`;

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function start(home: string, runtimeDir = join(home, 'run')): Promise<AgentServer> {
  return startAgentServer({ home, runtimeDir, handlers: createFixtureEngine().handlers, version: '0.0.0-test' }).then((agent) => {
    cleanups.push(() => agent.close());
    return agent;
  });
}

async function startRefused(home: string): Promise<LatchkeyError> {
  const error = await start(home).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(hasCode(error, 'agent_running')).toBe(true);
  return error as LatchkeyError;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  if (child.pid === undefined) throw new Error('could not spawn');
  return child.pid;
}

/** A live process that is not an agent. */
function sleeper(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  cleanups.push(() => void child.kill('SIGKILL'));
  return child;
}

describe('one agent per home', () => {
  it('refuses a second agent for the same home, naming the running pid and socket', async () => {
    const first: TestAgent = await startTestAgent('lock-second');
    cleanups.push(() => first.close());
    const error = await startRefused(first.home.dir);
    expect(error.message).toContain(`pid ${process.pid}`);
    expect(error.message).toContain(first.agent.socketPath);
    expect(error.hint).toContain('latchkey status');
    // The first agent is untouched: still announced, still serving.
    expect((await readDiscovery(first.home.paths.hostDir))?.token).toBe(first.agent.token);
    expect((await send({ port: first.agent.port }, { target: '/v1/health', headers: honestHeaders(first) })).status).toBe(200);
  });

  it('lets exactly one of two agents starting at once win', async () => {
    const home = makeTestHome('lock-race').dir;
    const results = await Promise.allSettled([start(home), start(home), start(home)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(hasCode(result.reason, 'agent_running')).toBe(true);
    }
  });

  it('refuses an agent while an agent in another process serves the home', async () => {
    const home = makeTestHome('lock-process').dir;
    const other = await agentProcess(home, cleanups);
    const error = await startRefused(home);
    expect(error.message).toContain(`pid ${other.pid}`);
    expect(error.message).toContain(other.socket);
  });

  it('refuses an agent when the running one lost its lock file but still answers', async () => {
    const home = makeTestHome('lock-unlocked').dir;
    const other = await agentProcess(home, cleanups);
    rmSync(hostFile(home, 'agent.lock'));
    const error = await startRefused(home);
    expect(error.message).toContain(`pid ${other.pid}`);
    // The refused start gave its claim back.
    expect(() => readFileSync(hostFile(home, 'agent.lock'))).toThrow();
  });

  it('refuses while an old lock belongs to a live agent that answers', async () => {
    const home = makeTestHome('lock-old-live').dir;
    const other = await agentProcess(home, cleanups);
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(hostFile(home, 'agent.lock'), old, old);
    const error = await startRefused(home);
    expect(error.message).toContain(`pid ${other.pid}`);
  });

  it('starts again once the previous agent has closed', async () => {
    const home = makeTestHome('lock-restart').dir;
    const first = await start(home);
    await first.close();
    expect(() => readFileSync(hostFile(home, 'agent.lock'))).toThrow();
    const second = await start(home);
    expect((await readDiscovery(homePaths(home).hostDir))?.token).toBe(second.token);
  });

  it('replaces a stale agent.json whose pid is dead', async () => {
    const home = makeTestHome('lock-stale-json').dir;
    const stale = { version: 'old', pid: deadPid(), socket: join(home, 'run', 'agent.sock'), port: 9, token: 'stale-token-'.padEnd(43, 'x') };
    writeFileSync(hostFile(home, 'agent.json'), JSON.stringify(stale), { mode: 0o600 });
    const agent = await start(home);
    const discovery = await readDiscovery(homePaths(home).hostDir);
    expect(discovery).toEqual({ version: '0.0.0-test', pid: process.pid, socket: agent.socketPath, port: agent.port, token: agent.token });
  });

  it('replaces a stale agent.json whose live pid is not an agent', async () => {
    const home = makeTestHome('lock-stale-live').dir;
    const child = sleeper();
    writeFileSync(hostFile(home, 'agent.json'), JSON.stringify({ version: 'old', pid: child.pid, socket: join(home, 'nowhere.sock'), port: 9, token: 'x'.repeat(43) }), { mode: 0o600 });
    const agent = await start(home);
    expect((await readDiscovery(homePaths(home).hostDir))?.token).toBe(agent.token);
  });

  it.each([
    ['a dead pid', () => `${deadPid()}\n`],
    ['a dead pid of this host', () => `${deadPid()} ${encodeURIComponent(hostname())}\n`],
    ['this process pid from an earlier life', () => `${process.pid}\n`],
    ['garbage', () => 'not a pid'],
  ])('replaces a stale lock holding %s', async (_name, content) => {
    const home = makeTestHome('lock-stale').dir;
    writeFileSync(hostFile(home, 'agent.lock'), content());
    await start(home);
    expect(readFileSync(hostFile(home, 'agent.lock'), 'utf8')).toBe(ownLock);
  });

  it('replaces an old lock whose live pid is not an agent, but honours a fresh one', async () => {
    const home = makeTestHome('lock-live-pid').dir;
    const child = sleeper();
    writeFileSync(hostFile(home, 'agent.lock'), `${child.pid}\n`);
    const error = await startRefused(home);
    expect(error.message).toContain(`pid ${child.pid}`);
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(hostFile(home, 'agent.lock'), old, old);
    await start(home);
    expect(readFileSync(hostFile(home, 'agent.lock'), 'utf8')).toBe(ownLock);
  });

  it('removes agent.json and its lock on close, and stops answering', async () => {
    const test = await startTestAgent('lock-close');
    const { port, socketPath, discoveryPath } = test.agent;
    expect(jsonBody<{ ok: boolean }>(await send({ port }, { target: '/v1/health', headers: honestHeaders(test) })).ok).toBe(true);
    await test.close();
    expect(() => readFileSync(discoveryPath)).toThrow();
    expect(() => readFileSync(hostFile(test.home.dir, 'agent.lock'))).toThrow();
    expect(() => readFileSync(socketPath)).toThrow();
    const after = await send({ port }, { target: '/v1/health', headers: honestHeaders(test) });
    expect(after.status).toBeNull();
  });

  it('does not remove an agent.json that another agent has written since', async () => {
    const home = makeTestHome('lock-foreign-json').dir;
    mkdirSync(home, { recursive: true });
    const agent = await start(home);
    const foreign = { version: 'x', pid: 1, socket: '/nowhere', port: 9, token: 'y'.repeat(43) };
    writeFileSync(hostFile(home, 'agent.json'), JSON.stringify(foreign));
    await agent.close();
    expect(JSON.parse(readFileSync(hostFile(home, 'agent.json'), 'utf8'))).toEqual(foreign);
  });

  it('refuses with agent_failed when a folder sits at the lock path', async () => {
    const home = makeTestHome('lock-folder').dir;
    mkdirSync(hostFile(home, 'agent.lock'));
    const error = await start(home).then(() => null, (caught: unknown) => caught);
    expect(hasCode(error, 'agent_failed')).toBe(true);
  });

  it('never breaks the lock of another host sharing the home, whatever its pid looks like here', async () => {
    const home = makeTestHome('lock-other-host').dir;
    // A pid that is dead on this host, in a lock an hour old: stale, were it this host's.
    writeFileSync(hostFile(home, 'agent.lock'), `${deadPid()} render-node-7\n`);
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(hostFile(home, 'agent.lock'), old, old);
    const error = await startRefused(home);
    expect(error.message).toMatch(/^The Latchkey agent of host render-node-7 \(pid \d+\) holds this home, which this host shares with it\.$/);
    expect(error.hint).toContain('stop it there');
    expect(readFileSync(hostFile(home, 'agent.lock'), 'utf8')).toMatch(/ render-node-7\n$/);
  });

  it('two hosts sharing one home both run, each with its own lock, discovery file and socket', async () => {
    const home = makeTestHome('lock-two-hosts').dir;
    const serve = (host: string): Promise<AgentServer> =>
      startAgentServer({ home, handlers: createFixtureEngine().handlers, version: '0.0.0-test', host }).then((agent) => {
        cleanups.push(() => agent.close());
        return agent;
      });
    const [a, b] = [await serve('workstation-a'), await serve('workstation-b')];
    expect(readFileSync(join(home, 'hosts', 'workstation-a', 'agent.lock'), 'utf8')).toBe(`${process.pid} workstation-a\n`);
    expect(readFileSync(join(home, 'hosts', 'workstation-b', 'agent.lock'), 'utf8')).toBe(`${process.pid} workstation-b\n`);
    expect(a.discoveryPath).toBe(join(home, 'hosts', 'workstation-a', 'agent.json'));
    expect(b.discoveryPath).toBe(join(home, 'hosts', 'workstation-b', 'agent.json'));
    expect(a.socketPath).not.toBe(b.socketPath);
    for (const agent of [a, b]) expect(await probeAgent(agent.socketPath, agent.token)).toBe(true);
    // One host's agent stopping leaves the other's files alone.
    await a.close();
    expect(readFileSync(join(home, 'hosts', 'workstation-b', 'agent.lock'), 'utf8')).toBe(`${process.pid} workstation-b\n`);
    expect((await readDiscovery(join(home, 'hosts', 'workstation-b')))?.token).toBe(b.token);
  });
});
