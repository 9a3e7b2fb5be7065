import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AgentClient } from '../../cli/client/agent-client.ts';
import type { CommandContext, CommandDeps } from '../../cli/command-context.ts';
import { exitCodeFor, exitCodes } from '../../cli/exit-codes.ts';
import { printError } from '../../cli/print-error.ts';
import { runProgram } from '../../cli/program.ts';
import { quickCommand } from '../../cli/quick-verbs.ts';
import { systemClock } from '../../core/clock.ts';
import type { SessionGrant } from '../../core/operations/contract.ts';

// The quick verbs read `token` and `get` with util.parseArgs, commander reads them in the program:
// the same command line must come to the same agent calls, output and exit code either way, and
// whatever the quick reader does not take must go to the program.

const grant: SessionGrant = {
  site: 'studio',
  siteUrl: 'https://studio.example.com',
  user: 'ada',
  credential: { kind: 'cookie', name: '_session_id', value: 'quick-test-value' },
  cookies: [{ name: '_session_id', value: 'quick-test-value', domain: 'studio.example.com', path: '/', expires: null, httpOnly: true, secure: true }],
  headers: { Cookie: '_session_id=quick-test-value' },
  expiresAt: null,
  obtainedAt: '2026-11-23T10:00:00.000Z',
  source: 'store',
};

interface Outcome {
  calls: unknown[];
  stdout: string;
  stderr: string;
  code: number;
}

/** Deps whose agent records each call, lists one site and hands out `grant`. */
function recordingDeps(env: NodeJS.ProcessEnv): { deps: CommandDeps; outcome: () => Omit<Outcome, 'code'> } {
  const calls: unknown[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const client: AgentClient = {
    discoveryPath: '/nowhere/agent.json',
    agent: { pid: 1, version: 'test' },
    call: (name, request) => {
      calls.push({ name, request });
      const sites = [{ id: 'studio', name: 'Studio', url: grant.siteUrl, default: true }];
      return Promise.resolve((name === 'listSites' ? sites : grant) as never);
    },
    uiTicket: () => Promise.reject(new Error('not used')),
    close: () => {},
  };
  const deps: CommandDeps = {
    stdin: new PassThrough(),
    stdout,
    stderr,
    env,
    clock: systemClock,
    connect: (name) => {
      calls.push({ connect: name });
      return Promise.resolve(client);
    },
    signal: new AbortController().signal,
  };
  return { deps, outcome: () => ({ calls, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }) };
}

async function settle(run: () => Promise<number>, deps: CommandDeps): Promise<number> {
  try {
    return await run();
  } catch (error) {
    printError(error, deps.stderr);
    return exitCodeFor(error);
  }
}

async function throughQuick(args: string[], env: NodeJS.ProcessEnv): Promise<Outcome | null> {
  const quick = quickCommand(['node', 'latchkey', ...args], env);
  if (quick === null) return null;
  const { deps, outcome } = recordingDeps(env);
  const code = await settle(() => quick(deps), deps);
  return { ...outcome(), code };
}

async function throughProgram(args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  const { deps, outcome } = recordingDeps(env);
  let code: number = exitCodes.ok;
  const context: CommandContext = { deps, argv: ['node', 'latchkey', ...args], setExitCode: (value) => (code = value) };
  const thrown = await settle(async () => {
    await runProgram(context);
    return code;
  }, deps);
  return { ...outcome(), code: thrown };
}

const plainForms = [
  ['token'],
  ['token', 'studio'],
  ['token', '--no-prompt'],
  ['token', 'studio', '--wait', '5'],
  ['token', '--wait=0', 'studio'],
  ['token', '--wait', '3600', '--no-prompt', 'https://studio.example.com/'],
  ['token', '--wait', '7', '--wait', '9'],
  ['get'],
  ['get', 'studio', '--format', 'env'],
  ['get', '--format=header', '--no-prompt'],
  ['get', '--format', 'netscape', '--wait', '1', 'studio'],
  ['get', '--format', 'json', 'studio'],
];

const helpAndMistakes = [
  ['token', '--help'],
  ['token', '-h'],
  ['token', '--wait', 'soon'],
  ['token', '--wait', '3601'],
  ['token', '--wait', '-1'],
  ['token', '--wait'],
  ['token', 'studio', 'cloud'],
  ['token', '--prompt'],
  ['token', '--no-prompt=yes'],
  ['token', '--format', 'env'],
  ['get', '--format', 'xml'],
  ['get', '--format'],
  ['get', '-x'],
];

// Valid, but read only by the program.
const otherForms = [['token', '--', 'studio'], ['status'], ['tokens'], []];

describe('quickCommand', () => {
  for (const env of [{}, { LATCHKEY_NO_PROMPT: '1', LATCHKEY_SITE: 'cloud' }]) {
    it(`runs the plain forms of token and get as the program does${Object.keys(env).length > 0 ? ' (with LATCHKEY_NO_PROMPT and LATCHKEY_SITE)' : ''}`, async () => {
      for (const args of plainForms) {
        const quick = await throughQuick(args, env);
        expect(quick, args.join(' ')).not.toBeNull();
        expect({ args, ...quick }).toEqual({ args, ...(await throughProgram(args, env)) });
        expect(quick?.code).toBe(exitCodes.ok);
      }
    });
  }

  it('leaves help, mistakes, `--`, other options and other verbs to the program', async () => {
    for (const args of [...helpAndMistakes, ...otherForms]) {
      expect(await throughQuick(args, {}), args.join(' ')).toBeNull();
    }
    // …where they are help (0) or a usage error (2), and never reach the agent.
    const program = await Promise.all(helpAndMistakes.map((args) => throughProgram(args, {})));
    expect(program.map((outcome) => outcome.code).filter((code) => code !== exitCodes.ok && code !== exitCodes.usage)).toEqual([]);
    expect(program.flatMap((outcome) => outcome.calls)).toEqual([]);
    expect(program[0]?.stdout).toContain('Usage: latchkey token [options] [site]');
  });

  it("words a bad --wait as commander words its own option errors, with exit 2", async () => {
    const outcome = await throughProgram(['token', '--wait', 'soon'], {});
    expect(outcome.code).toBe(exitCodes.usage);
    expect(outcome.stderr).toContain("error: option '--wait <seconds>' argument 'soon' is invalid. expected whole seconds from 0 to 3600.");
    const login = await throughProgram(['login', '--timeout', '99999'], {});
    expect({ code: login.code, calls: login.calls }).toEqual({ code: exitCodes.usage, calls: [] });
    expect(login.stderr).toContain("error: option '--timeout <seconds>' argument '99999' is invalid.");
  });
});
