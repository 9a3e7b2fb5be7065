import { writeSync } from 'node:fs';
import { systemClock, type Clock } from '../core/clock.ts';
import type { AgentClient } from './client/agent-client.ts';

/** Where a command writes text: stdout or stderr, or a test's buffer. */
export interface TextOut {
  write(data: string | Uint8Array): void;
  /** True when a person reads it in a terminal. */
  readonly isTTY: boolean;
}

/** What a command works with: its streams, its environment, the agent, the clock, the interrupt. */
export interface CommandDeps {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: TextOut;
  readonly stderr: TextOut;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  /**
   * Connects to the agent of the home; `client` names the caller in the agent's activity record.
   * Starts one in the background when none answers, unless `start` is false (`status`, the site
   * list and completion only read) or the environment forbids it (agent-connection.ts).
   */
  connect(client: string, options?: { start?: boolean }): Promise<AgentClient>;
  /** Aborted on Ctrl-C or SIGTERM (or when the reader of the output went away): waits stop, servers close. */
  readonly signal: AbortSignal;
}

/**
 * Writes to a file descriptor synchronously. A command writes a few lines; creating
 * `process.stdout` would load Node's stream machinery for them, which `npm run bench` measured as
 * a large part of a short command's start-up. A reader that went away (EPIPE) ends the command
 * through `onBrokenPipe`, as SIGPIPE would; a descriptor that is non-blocking (EAGAIN) is retried.
 */
export function fdOut(fd: number, onBrokenPipe: () => void): TextOut {
  let broken = false;
  let isTTY: boolean | undefined;
  return {
    write: (data) => {
      if (broken) return;
      let bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      while (bytes.length > 0) {
        try {
          bytes = bytes.subarray(writeSync(fd, bytes));
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') continue;
          if (code === 'EPIPE') {
            broken = true;
            onBrokenPipe();
            return;
          }
          throw error;
        }
      }
    },
    get isTTY() {
      // Read when asked: only a few commands want to know.
      isTTY ??= (process.getBuiltinModule('node:tty') as typeof import('node:tty')).isatty(fd);
      return isTTY;
    },
  };
}

/** The deps of the real process; `signal` is the command line's interrupt. */
export function processDeps(signal: AbortSignal, onBrokenPipe: () => void): CommandDeps {
  const stderr = fdOut(2, () => undefined);
  return {
    // Read when used: creating process.stdin costs milliseconds that most commands do not need.
    get stdin() {
      return process.stdin;
    },
    stdout: fdOut(1, onBrokenPipe),
    stderr,
    env: process.env,
    clock: systemClock,
    // Loaded when a command first talks to the agent: the client brings node:net, which help,
    // `--version` and usage mistakes never need.
    connect: async (client, options = {}) =>
      (await import('./agent-connection.ts')).connectCommand({ env: process.env, client, start: options.start ?? true, stderr, signal }),
    signal,
  };
}

/** Runs `work` with a client for the agent (started when needed, unless `start` is false) and closes it afterwards. */
export async function withAgent<T>(deps: CommandDeps, client: string, work: (agent: AgentClient) => Promise<T>, options: { start?: boolean } = {}): Promise<T> {
  const agent = await deps.connect(client, options);
  try {
    return await work(agent);
  } finally {
    agent.close();
  }
}

/** Resolves once `signal` aborts (at once if it already has). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
