import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusJson } from '../../cli/commands/status.ts';
import { homePaths } from '../../core/home.ts';
import { startLab, type Lab } from '../lab/lab.ts';
import { takeBrowserSlot } from '../support/browser-slots.ts';
import { runCli, startCli } from '../support/cli-process.ts';
import { cliEnv } from '../support/live-agent.ts';
import { makeTestHome } from '../support/test-home.ts';
import { processesNaming } from '../support/processes.ts';
import { until } from '../support/until.ts';

// A fault: the agent killed with SIGKILL while a login waits in its browser (the process cannot
// clean anything up). No browser process is left behind, and the next agent starts cleanly on
// the same home: its lock, discovery file and store as a dead agent left them.

let lab: Lab;

beforeAll(async () => {
  // No automatic sign-in: the login stays at the identity provider's form, its browser open.
  lab = await startLab();
});

afterAll(async () => {
  await lab.close();
});

describe.skipIf(process.platform !== 'linux')('the agent killed in the middle of a login', () => {
  it('leaves no browser behind, and the next agent starts cleanly on the same home', async () => {
    const home = makeTestHome('killed').dir;
    const env = cliEnv(home);
    // The agent's login browser counts against the run's browser slots, as the engine's own do.
    const giveBack = await takeBrowserSlot();
    try {
      const agent = startCli(['agent', '--headless'], env);
      await agent.stderrHas('Stop it with Ctrl-C');
      expect((await runCli(['sites', 'add', lab.site.url, '--name', 'Studio'], env)).code).toBe(0);
      const login = startCli(['login', '--timeout', '600'], env);
      const profile = `${homePaths(home).profiles}/`;
      await until(() => processesNaming(profile), (pids) => pids.length > 0);
      agent.kill('SIGKILL');
      expect((await agent.done).signal).toBe('SIGKILL');
      // The browser goes with the agent that drove it (its DevTools pipe closed).
      await until(() => processesNaming(profile), (pids) => pids.length === 0);
      expect((await login.done).code).not.toBe(0);
    } finally {
      await giveBack();
    }
    const next = startCli(['agent', '--headless'], env);
    await next.stderrHas('Stop it with Ctrl-C');
    const status = JSON.parse((await runCli(['status', '--json'], env)).stdout) as StatusJson;
    expect(status.agent).toMatchObject({ running: true, pid: next.pid });
    expect(status.sites.map((site) => site.name)).toEqual(['Studio']);
    next.kill('SIGTERM');
    expect((await next.done).code).toBe(0);
  });
});
