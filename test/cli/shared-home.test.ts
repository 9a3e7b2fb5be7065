import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusJson } from '../../cli/commands/status.ts';
import { startLab, type Lab } from '../lab/lab.ts';
import { takeBrowserSlot } from '../support/browser-slots.ts';
import { runCli, startCli, type CliChild } from '../support/cli-process.ts';
import { cliEnv } from '../support/live-agent.ts';
import { makeTestHome } from '../support/test-home.ts';

// A home shared by several hosts (an NFS home on every workstation and render node), each host
// named by LATCHKEY_HOST here: every host runs its own agent with its own lock, discovery file,
// socket, sessions and login profiles under `hosts/<host>/`, and all share the site list.

let lab: Lab;
const agents: CliChild[] = [];

beforeAll(async () => {
  lab = await startLab({ autoLogin: 'ada' });
});

afterAll(async () => {
  for (const agent of agents) agent.kill('SIGTERM');
  await Promise.all(agents.map((agent) => agent.done));
  await lab.close();
});

async function startAgent(env: NodeJS.ProcessEnv, args: string[] = []): Promise<CliChild> {
  const agent = startCli(['agent', '--headless', ...args], env);
  agents.push(agent);
  await agent.stderrHas('Stop it with Ctrl-C');
  return agent;
}

async function status(env: NodeJS.ProcessEnv): Promise<StatusJson> {
  return JSON.parse((await runCli(['status', '--json'], env)).stdout) as StatusJson;
}

/** `latchkey token` for the default site, with a browser slot for the login it may run. */
async function token(env: NodeJS.ProcessEnv): Promise<string> {
  const giveBack = await takeBrowserSlot();
  try {
    const run = await runCli(['token'], env);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout.trim();
  } finally {
    await giveBack();
  }
}

describe('one home shared by two hosts', () => {
  it('runs an agent on each, with its own sessions, the site list shared; a dead agent is replaced by its own host alone', async () => {
    const home = makeTestHome('shared').dir;
    const onA = cliEnv(home, { LATCHKEY_HOST: 'Workstation-A' });
    const onB = cliEnv(home, { LATCHKEY_HOST: 'render-node-7' });
    const a = await startAgent(onA);
    await startAgent(onB);
    expect(a.stderrText()).toContain(`serving ${home} as host workstation-a\n`);

    // The site list is the person's: added on one host, it is there on the other.
    expect((await runCli(['sites', 'add', lab.site.url, '--name', 'Studio'], onA)).code).toBe(0);
    expect((await status(onB)).sites.map((site) => site.name)).toEqual(['Studio']);

    // Sessions are each host's: a login on A gives B nothing; B logs in by itself.
    const tokenA = await token(onA);
    expect((await status(onA)).sites[0]?.state).toBe('valid');
    expect((await status(onB)).sites[0]?.state).toBe('none');
    const tokenB = await token(onB);
    expect(tokenB).not.toBe(tokenA);
    expect(JSON.parse(readFileSync(join(home, 'hosts', 'workstation-a', 'sessions.json'), 'utf8')).sessions).toHaveProperty([(await status(onA)).sites[0]?.id ?? '', 'credential', 'value'], tokenA);

    // A's agent dies without cleaning up: its lock and discovery file stay. B goes on serving, and
    // never touches them; A's next agent, on A, replaces them and has A's session.
    a.kill('SIGKILL');
    expect((await a.done).signal).toBe('SIGKILL');
    const lockA = join(home, 'hosts', 'workstation-a', 'agent.lock');
    const deadLock = readFileSync(lockA, 'utf8');
    expect(deadLock).toBe(`${a.pid} workstation-a\n`);
    // Old enough that only the pid decides.
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(lockA, old, old);
    expect(await token(onB)).toBe(tokenB);
    expect(readFileSync(lockA, 'utf8')).toBe(deadLock);
    const again = await startAgent(onA);
    expect(readFileSync(lockA, 'utf8')).toBe(`${again.pid} workstation-a\n`);
    expect(await token(onA)).toBe(tokenA);
  });

  it('`latchkey agent --host NAME` serves as that host (what a service entry passes), found by the commands with LATCHKEY_HOST', async () => {
    const home = makeTestHome('shared-flag').dir;
    // The flag wins over the variable.
    const agent = await startAgent(cliEnv(home, { LATCHKEY_HOST: 'ignored' }), ['--host', 'Render-7']);
    expect(agent.stderrText()).toContain(`serving ${home} as host render-7\n`);
    expect((await status(cliEnv(home, { LATCHKEY_HOST: 'Render-7' }))).agent).toMatchObject({ running: true, pid: agent.pid });
    expect((await runCli(['status'], cliEnv(home, { LATCHKEY_HOST: 'other' }))).code).toBe(3);
  });

  it('a lock in a host folder written by another host (a name given twice) is never broken here', async () => {
    const home = makeTestHome('shared-twice').dir;
    const env = cliEnv(home, { LATCHKEY_HOST: 'ws-1' });
    const lock = join(home, 'hosts', 'ws-1', 'agent.lock');
    mkdirSync(join(home, 'hosts', 'ws-1'), { recursive: true });
    // pid 1 on "another-machine": whatever pid 1 is here says nothing about it.
    writeFileSync(lock, '1 another-machine\n');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(lock, old, old);
    const run = await runCli(['agent', '--headless'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('The Latchkey agent of host another-machine (pid 1) holds this home');
    expect(readFileSync(lock, 'utf8')).toBe('1 another-machine\n');
  });
});
