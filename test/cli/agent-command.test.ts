import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StatusJson } from '../../cli/commands/status.ts';
import { makeTestHome } from '../support/test-home.ts';
import { cliEnv } from '../support/live-agent.ts';
import { runCli, startCli } from '../support/cli-process.ts';

describe('latchkey agent', () => {
  it('serves the home until SIGTERM, refuses a second agent naming its pid, and closes cleanly', async () => {
    const home = makeTestHome('cli-agent').dir;
    const env = cliEnv(home);
    const agent = startCli(['agent', '--headless'], env);
    await agent.stderrHas('Stop it with Ctrl-C');

    const status = await runCli(['status', '--json'], env);
    expect(status.code).toBe(0);
    const json = JSON.parse(status.stdout) as StatusJson;
    expect(json.agent).toMatchObject({ running: true, pid: agent.pid, storage: 'plaintext' });
    expect(json.sites).toEqual([]);

    const second = await runCli(['agent'], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`Another Latchkey agent is running for this home (pid ${agent.pid}`);

    agent.kill('SIGTERM');
    const result = await agent.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`serving ${home}`);
    expect(result.stderr).toContain('Agent stopped.');
    expect(existsSync(join(home, 'agent.json'))).toBe(false);
    expect((await runCli(['status'], env)).code).toBe(3);
  });
});
