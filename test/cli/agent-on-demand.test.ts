import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startAgentServer } from '../../core/agent/agent-server.ts';
import { isProcessAlive } from '../../core/agent/process-alive.ts';
import type { StatusJson } from '../../cli/commands/status.ts';
import { latchkeyVersion } from '../../cli/version.ts';
import { createFixtureEngine } from '../core/agent/fixture-handlers.ts';
import { runCli, type CliRun } from '../support/cli-process.ts';
import { cliEnv } from '../support/live-agent.ts';
import { hostFile, makeTestHome } from '../support/test-home.ts';
import { until } from '../support/until.ts';
import { homePaths } from '../../core/home.ts';

// The agent on demand: commands that need an agent start one in the background (detached, its
// output in the home) and wait for it; commands that only read never do.

const started = new Set<number>();

afterAll(() => {
  // An agent a failed test left running would outlive the run.
  for (const pid of started) if (isProcessAlive(pid)) process.kill(pid, 'SIGTERM');
});

/** A fresh home whose commands may start an agent. */
function homeWithAutostart(label: string): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = makeTestHome(label).dir;
  return { dir, env: cliEnv(dir, { LATCHKEY_NO_AUTOSTART: undefined }) };
}

/** The pid in the "Started the Latchkey agent" line of a run, or null. */
function startedPid(run: CliRun): number | null {
  const match = /^Started the Latchkey agent in the background \(pid (\d+)\); `latchkey agent stop` stops it\.$/m.exec(run.stderr);
  if (match === null) return null;
  const pid = Number(match[1]);
  started.add(pid);
  return pid;
}

async function agentStatus(env: NodeJS.ProcessEnv): Promise<StatusJson> {
  const status = await runCli(['status', '--json'], env);
  return JSON.parse(status.stdout) as StatusJson;
}

describe('the agent on demand', () => {
  it('ten commands at once start exactly one agent, which serves them all; `agent stop` ends it', async () => {
    const { dir, env } = homeWithAutostart('on-demand-race');
    const runs = await Promise.all(Array.from({ length: 10 }, (_, i) => runCli(['sites', 'add', `https://site${i}.example.com`, '--name', `site${i}`], env)));
    expect(runs.map((run) => run.code)).toEqual(Array(10).fill(0));
    const pids = runs.map(startedPid).filter((pid) => pid !== null);
    expect(pids).toHaveLength(1);
    const [pid] = pids;
    expect(isProcessAlive(pid ?? 0)).toBe(true);
    // The starter's stderr says so; the others' carries only what `sites add` always says.
    for (const [i, run] of runs.entries()) if (startedPid(run) === null) expect(run.stderr).toBe(`Log in with \`latchkey login site${i}\`.\n`);

    const status = await agentStatus(env);
    expect(status.agent).toMatchObject({ running: true, pid, version: latchkeyVersion });
    expect(status.sites.map((site) => site.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `site${i}`).sort());
    // Detached, with its output in the home and its log where every agent's is.
    expect(readFileSync(homePaths(dir).agentOutput, 'utf8')).toContain(`Latchkey agent ${latchkeyVersion} (pid ${pid}) serving ${dir}`);
    expect(readFileSync(homePaths(dir).log, 'utf8')).toContain('agent listening');
    expect(existsSync(join(homePaths(dir).hostDir, 'agent-start.lock'))).toBe(false);

    const stop = await runCli(['agent', 'stop'], env);
    expect(stop).toMatchObject({ code: 0, stdout: '', stderr: `Stopped the Latchkey agent (pid ${pid}).\n` });
    expect(existsSync(join(homePaths(dir).hostDir, 'agent.json'))).toBe(false);
    expect((await runCli(['status'], env)).code).toBe(3);
    // Nothing to stop is not an error.
    expect(await runCli(['agent', 'stop'], env)).toMatchObject({ code: 0, stderr: `No Latchkey agent is running for ${dir}.\n` });
  });

  it('status, the site list, completion and agent stop never start one; LATCHKEY_NO_AUTOSTART=1 keeps the others from it', async () => {
    const { dir, env } = homeWithAutostart('on-demand-readers');
    const status = await runCli(['status'], env);
    expect(status.code).toBe(3);
    const statusJson = await runCli(['status', '--json'], env);
    expect(JSON.parse(statusJson.stdout)).toMatchObject({ agent: { running: false } });
    expect(await runCli(['sites'], env)).toMatchObject({ code: 0, stderr: 'No agent is running: the sites the home lists, without their sessions.\n' });
    expect((await runCli(['completion', 'bash'], env)).code).toBe(0);
    expect(await runCli(['completion', '--sites'], env)).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect((await runCli(['agent', 'stop'], env)).code).toBe(0);
    expect((await runCli(['--version'], env)).code).toBe(0);
    expect(existsSync(join(homePaths(dir).hostDir, 'agent.json'))).toBe(false);

    const off = { ...env, LATCHKEY_NO_AUTOSTART: '1' };
    for (const args of [['token'], ['sites', 'add', 'https://studio.example.com'], ['ui', '--no-open']]) {
      const run = await runCli(args, off);
      expect(run.code, args.join(' ')).toBe(3);
      expect(run.stderr).toContain('No Latchkey agent is running');
    }
    expect(existsSync(join(homePaths(dir).hostDir, 'agent.json'))).toBe(false);
    expect(existsSync(homePaths(dir).agentOutput)).toBe(false);
  });

  it('an agent that died without a word (SIGKILL) is replaced by the next command that needs one', async () => {
    const { env } = homeWithAutostart('on-demand-dead');
    const first = await runCli(['sites', 'add', 'https://studio.example.com', '--name', 'studio'], env);
    expect(first.code).toBe(0);
    const pid = startedPid(first);
    expect(pid).not.toBeNull();
    process.kill(pid ?? 0, 'SIGKILL');
    // Gone once its new parent (init) has reaped it: until then its pid still exists.
    await until(() => isProcessAlive(pid ?? 0), (alive) => !alive);
    // Its discovery file stays behind, naming a pid that no longer answers.
    const reading = await runCli(['status'], env);
    expect(reading.code).toBe(3);
    expect(reading.stderr).toContain('does not answer');

    const next = await runCli(['sites', 'default', 'studio'], env);
    expect(next.code).toBe(0);
    const replacement = startedPid(next);
    expect(replacement).not.toBeNull();
    expect(replacement).not.toBe(pid);
    expect((await agentStatus(env)).agent).toMatchObject({ running: true, pid: replacement });
    expect((await runCli(['agent', 'stop'], env)).code).toBe(0);
  });

  it('an agent that cannot start is reported with where its output is, and nothing is left waiting', async () => {
    const { dir, env } = homeWithAutostart('on-demand-fails');
    // A lock held by a live process (this one), and fresh for as long as the test runs: the agent refuses the home.
    const lock = hostFile(dir, 'agent.lock');
    writeFileSync(lock, `${process.pid}\n`, { mode: 0o600 });
    const future = new Date(Date.now() + 24 * 3600 * 1000);
    utimesSync(lock, future, future);
    const run = await runCli(['sites', 'add', 'https://studio.example.com'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`latchkey: The Latchkey agent for ${dir} stopped as it started (exit 1).`);
    expect(run.stderr).toContain(`hint: Its output is in ${homePaths(dir).agentOutput}`);
    expect(readFileSync(homePaths(dir).agentOutput, 'utf8')).toContain(`Another Latchkey agent is running for this home (pid ${process.pid}`);
    expect(existsSync(join(homePaths(dir).hostDir, 'agent-start.lock'))).toBe(false);
  });

  it('a running agent of another version is reported; `agent stop` and the next command bring them in step', async () => {
    const { dir, env } = homeWithAutostart('on-demand-skew');
    const stopped = Promise.withResolvers<void>();
    const old = await startAgentServer({ home: dir, handlers: createFixtureEngine().handlers, version: '0.0.1-old', onStopRequest: () => stopped.resolve() });
    const closed = stopped.promise.then(() => old.close());
    try {
      const listed = await runCli(['sites'], env);
      expect(listed.code).toBe(0);
      expect(listed.stderr).toBe(
        `latchkey: the running agent (pid ${process.pid}) is Latchkey 0.0.1-old, and this command is ${latchkeyVersion}.\n` +
          'hint: `latchkey agent stop` stops it; the next command starts the agent of this version.\n',
      );
      const stop = await runCli(['agent', 'stop'], env);
      expect(stop.code).toBe(0);
      expect(stop.stderr).toContain(`Stopped the Latchkey agent (pid ${process.pid}).`);
    } finally {
      stopped.resolve();
      await closed;
    }
    const next = await runCli(['sites', 'add', 'https://studio.example.com'], env);
    expect(next.code).toBe(0);
    expect(startedPid(next)).not.toBeNull();
    expect(next.stderr).not.toContain('running agent');
    expect((await agentStatus(env)).agent).toMatchObject({ running: true, version: latchkeyVersion });
    expect((await runCli(['agent', 'stop'], env)).code).toBe(0);
  });
});
