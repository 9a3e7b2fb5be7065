import { afterEach, describe, expect, it } from 'vitest';
import { startAgentServer } from '../../../core/agent/agent-server.ts';
import { takeOverHome } from '../../../core/agent/agent-takeover.ts';
import { readDiscovery } from '../../../core/agent/discovery-file.ts';
import { isProcessAlive } from '../../../core/agent/process-alive.ts';
import { homePaths } from '../../../core/home.ts';
import { silentLogger } from '../../../core/log.ts';
import { makeTestHome } from '../../support/test-home.ts';
import { until } from '../../support/until.ts';
import { agentProcess } from './agent-harness.ts';
import { createFixtureEngine } from './fixture-handlers.ts';

// The desktop app taking a home over from a headless agent (the store side is in
// test/electron/desktop-takeover.test.ts): it asks the agent to stop and waits until it has.

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('takeOverHome', () => {
  it('asks a headless agent in another process to stop, and returns once it has let the home go', async () => {
    const home = makeTestHome('takeover-stop').dir;
    const agent = await agentProcess(home, cleanups);
    expect(await takeOverHome(homePaths(home), silentLogger)).toBe(agent.pid);
    expect(await readDiscovery(homePaths(home).hostDir)).toBeNull();
    expect(isProcessAlive(agent.pid)).toBe(false);
    // The home is free: the app's own agent claims it.
    const mine = await startAgentServer({ home, handlers: createFixtureEngine().handlers, version: '0.0.0-test' });
    await mine.close();
  });

  it('has nothing to do where no agent serves the home, or its discovery file names a dead one', async () => {
    const home = makeTestHome('takeover-none').dir;
    expect(await takeOverHome(homePaths(home), silentLogger)).toBeNull();
    const agent = await agentProcess(home, cleanups);
    process.kill(agent.pid, 'SIGKILL');
    await until(() => isProcessAlive(agent.pid), (alive) => !alive);
    expect(await takeOverHome(homePaths(home), silentLogger)).toBeNull();
  });

  it('refuses to take over from an agent that is not stopped over its API (another desktop app)', async () => {
    const home = makeTestHome('takeover-desktop').dir;
    const desktop = await startAgentServer({ home, handlers: createFixtureEngine().handlers, version: '0.0.0-test' });
    cleanups.push(() => desktop.close());
    await expect(takeOverHome(homePaths(home), silentLogger)).rejects.toMatchObject({
      code: 'agent_running',
      message: `The Latchkey agent serving this home (pid ${process.pid}) refused to stop (HTTP 403).`,
      hint: expect.stringContaining('another desktop app'),
    });
    expect((await readDiscovery(homePaths(home).hostDir))?.token).toBe(desktop.token);
  });
});
