import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Interrupted } from '../../cli/interrupted.ts';
import { exitCodeFor } from '../../cli/exit-codes.ts';
import { LatchkeyError } from '../../core/common/errors.ts';
import { makeTestHome } from '../support/test-home.ts';
import { cliEnv, startLiveAgent, type LiveAgent } from '../support/live-agent.ts';
import { runCli, startCli } from '../support/cli-process.ts';

// The lab's identity provider shows its form here and nobody fills it in, so every login that
// needs a person stays unfinished until the test runs its timer on the agent's manual clock.
let live: LiveAgent;

beforeAll(async () => {
  live = await startLiveAgent('cli-exit', { autoLogin: null });
});

afterAll(async () => {
  await live?.close();
});

afterEach(async () => {
  live.lab.site.setFailure(null);
  // A login left running by a test is stopped (and its window closed) before the next test starts.
  await live.engine.handlers.logout({ id: live.site.id }, { client: 'test' });
});

describe('exitCodeFor', () => {
  it('maps every kind of error to its exit code', () => {
    const cases: Array<[unknown, number]> = [
      [new LatchkeyError('usage', 'x'), 2],
      [new LatchkeyError('agent_not_running', 'x'), 3],
      [new LatchkeyError('login_required', 'x'), 4],
      [new LatchkeyError('login_cancelled', 'x'), 4],
      [new LatchkeyError('unauthorized', 'x'), 5],
      [new LatchkeyError('forbidden', 'x'), 5],
      [new LatchkeyError('misdirected', 'x'), 5],
      [new LatchkeyError('login_timeout', 'x'), 124],
      [new LatchkeyError('command_not_executable', 'x'), 126],
      [new LatchkeyError('command_not_found', 'x'), 127],
      [new Interrupted('SIGINT'), 130],
      [new LatchkeyError('login_failed', 'x'), 1],
      [new LatchkeyError('agent_running', 'x'), 1],
      [new Error('a bug'), 1],
      ['a string', 1],
    ];
    expect(cases.map(([error]) => exitCodeFor(error))).toEqual(cases.map(([, code]) => code));
  });
});

describe('exit code 3: no agent', () => {
  it('is returned, with how to start one, when the home has no agent or its agent is gone', async () => {
    const empty = await runCli(['token'], cliEnv(makeTestHome('cli-noagent').dir));
    expect(empty.code).toBe(3);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toMatch(/^latchkey: No Latchkey agent is running \(there is no .*agent\.json\)\.\nhint: Start it with `latchkey agent` or the desktop app\.\n$/);

    // A discovery file left by an agent that died: nothing listens at its socket or port.
    const stale = join(makeTestHome('cli-stale').dir, 'agent.json');
    writeFileSync(stale, JSON.stringify({ version: '0', pid: 999999, socket: join(live.home.dir, 'gone.sock'), port: 1, token: 'x'.repeat(43) }));
    const dead = await runCli(['status'], cliEnv(live.home.dir, { LATCHKEY_AGENT: stale }));
    expect(dead.code).toBe(3);
    expect(dead.stderr).toContain('does not answer');
  });
});

describe('exit code 5: refused by the agent', () => {
  it('is returned for a discovery file with a wrong token', async () => {
    const copy = join(makeTestHome('cli-token').dir, 'copied-agent.json');
    copyFileSync(live.server.discoveryPath, copy);
    const discovery = JSON.parse(readFileSync(copy, 'utf8')) as { token: string };
    writeFileSync(copy, JSON.stringify({ ...discovery, token: 'wrong-token-wrong-token-wrong-token-wrong' }));
    const result = await runCli(['token'], cliEnv(live.home.dir, { LATCHKEY_AGENT: copy }));
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('latchkey: The agent token is not valid.');
  });
});

describe('exit code 4: login required', () => {
  it('is returned at once with --no-prompt --wait 0, and after a failed silent try with --no-prompt', async () => {
    const opened = live.opened.length;
    const [immediate, byEnv] = await Promise.all([
      runCli(['token', '--no-prompt', '--wait', '0'], live.env),
      runCli(['get', '--wait', '0'], { ...live.env, LATCHKEY_NO_PROMPT: '1' }),
    ]);
    expect([immediate.code, byEnv.code]).toEqual([4, 4]);
    expect(immediate.stderr).toContain('has no valid session');
    const child = startCli(['token', '--no-prompt'], live.env);
    // The hidden window stops at the identity provider's form: once it has settled there, the person is needed.
    await live.clock.whenTimer('silent settle');
    live.clock.runTimer('silent settle');
    const silent = await child.done;
    expect(silent.code).toBe(4);
    expect(silent.stderr).toContain('Waiting for a silent renewal');
    expect(silent.stderr).toMatch(/needs you to log in/);
    // Never a window meant to be seen.
    expect(live.opened.slice(opened).every((window) => !window.visible)).toBe(true);
    expect(live.opened.length).toBeGreaterThan(opened);
  });
});

describe('exit code 124: login timed out', () => {
  it('is returned when the login does not land within --wait', async () => {
    live.lab.site.setFailure('never_lands');
    const child = startCli(['token', '--wait', '2'], live.env);
    await live.clock.whenTimer('caller wait');
    live.clock.runTimer('caller wait');
    const result = await child.done;
    expect(result.code).toBe(124);
    expect(result.stderr).toContain('Waiting for the login to the default site (up to 2 s)');
    expect(result.stderr).toContain('Waited 2 s for a login');
  });
});

describe('exit code 1: login failed', () => {
  it('is returned with the reason when the site fails the login', async () => {
    live.lab.site.setFailure('renew_500');
    const result = await runCli(['login', '--timeout', '10'], live.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/latchkey: The login to .* failed \(http_error\)/);
  });
});

describe('exit code 130: interrupted', () => {
  it('is returned when Ctrl-C arrives while waiting for a login', async () => {
    const child = startCli(['token', '--wait', '60'], live.env);
    await child.stderrHas('Waiting for the login');
    child.kill('SIGINT');
    const result = await child.done;
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Interrupted (SIGINT).');
  });
});
