import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StatusJson } from '../../cli/commands/status.ts';
import { makeTestHome } from '../support/test-home.ts';
import { cliEnv } from '../support/live-agent.ts';
import { runCli, startCli } from '../support/cli-process.ts';
import { homePaths } from '../../core/home.ts';

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
    expect(existsSync(join(homePaths(home).hostDir, 'agent.json'))).toBe(false);
    expect((await runCli(['status'], env)).code).toBe(3);
  });

  it('logs each request at debug level with --debug (or LATCHKEY_DEBUG=1), and says where the log is', async () => {
    const log = (home: string): string => readFileSync(homePaths(home).log, 'utf8');
    const requestLines = (home: string): string[] => log(home).split('\n').filter((line) => line.includes('"message":"request"'));
    for (const [label, args, extra] of [
      ['flag', ['agent', '--headless', '--debug'], {}],
      ['env', ['agent', '--headless'], { LATCHKEY_DEBUG: '1' }],
      ['neither', ['agent', '--headless'], {}],
    ] as const) {
      // Short labels: the agent's socket lives under the home, and a socket path holds at most 103 bytes.
      const home = makeTestHome(`agent-dbg-${label}`).dir;
      const env = cliEnv(home, extra);
      const agent = startCli([...args], env);
      await agent.stderrHas(`  log        ${homePaths(home).log}\n`);
      const status = await runCli(['status'], env);
      expect(status.stdout).toContain(`log: ${homePaths(home).log}\n`);
      agent.kill('SIGTERM');
      expect((await agent.done).code).toBe(0);
      // The agent flushed its log as it closed.
      expect(requestLines(home).length > 0, label).toBe(label !== 'neither');
      expect(log(home)).toContain('"message":"agent stopped"');
    }
  });
});
