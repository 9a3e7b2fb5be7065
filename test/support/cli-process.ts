import { spawn } from 'node:child_process';

/** What a CLI run left. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const bin = new URL('../../bin/latchkey.js', import.meta.url).pathname;

/** A running `latchkey` child, for tests that signal it midway. */
export interface CliChild {
  pid: number;
  /** Resolves once stderr holds `text`. */
  stderrHas(text: string): Promise<void>;
  /** Resolves once stdout holds `text`. */
  stdoutHas(text: string): Promise<void>;
  /** What the child has printed on stderr so far. */
  stderrText(): string;
  done: Promise<CliRun>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts the real command line (`bin/latchkey.js`) as a child process. */
export function startCli(args: string[], env: NodeJS.ProcessEnv, options: { input?: string } = {}): CliChild {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  const waiters: Array<{ stream: 'stdout' | 'stderr'; text: string; resolve: () => void; reject: (error: Error) => void }> = [];
  const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer): void => {
    output[stream] += chunk.toString('utf8');
    for (const waiter of waiters.filter((w) => w.stream === stream && output[stream].includes(w.text))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout.on('data', collect('stdout'));
  child.stderr.on('data', collect('stderr'));
  let ended = false;
  const has = (stream: 'stdout' | 'stderr', text: string): Promise<void> => {
    if (output[stream].includes(text)) return Promise.resolve();
    // A process that ended without saying it never will: the test fails with what it did say.
    if (ended) return Promise.reject(new Error(`latchkey ${args.join(' ')} ended without printing ${JSON.stringify(text)}; stderr: ${output.stderr}`));
    return new Promise((resolve, reject) => waiters.push({ stream, text, resolve, reject }));
  };
  child.stdin.end(options.input ?? '');
  const done = new Promise<CliRun>((resolve) => {
    child.once('close', (code, signal) => {
      ended = true;
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`latchkey ${args.join(' ')} ended (${signal ?? code}) without printing ${JSON.stringify(waiter.text)}; stderr: ${output.stderr}`));
      resolve({ code, signal, ...output });
    });
  });
  return {
    pid: child.pid ?? 0,
    stderrHas: (text) => has('stderr', text),
    stdoutHas: (text) => has('stdout', text),
    stderrText: () => output.stderr,
    done,
    kill: (signal) => child.kill(signal),
  };
}

/** Runs `latchkey ARGS` to the end. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, options: { input?: string } = {}): Promise<CliRun> {
  return startCli(args, env, options).done;
}
