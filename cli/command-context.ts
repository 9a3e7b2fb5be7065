import { systemClock, type Clock } from '../core/clock.ts';
import { connectAgent, type AgentClient } from './client/agent-client.ts';

/** What a command works with: its streams, its environment, the agent, the clock, the interrupt. */
export interface CommandDeps {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  /** Connects to the running agent; `client` names the caller in the agent's activity record. */
  connect(client: string): Promise<AgentClient>;
  /** Aborted on Ctrl-C or SIGTERM: waits stop (exit 130), servers close. */
  signal: AbortSignal;
}

/** What every command registration gets: the deps, and where its exit code goes. */
export interface CommandContext {
  deps: CommandDeps;
  /** The arguments as given, before parsing (for `exec`, which needs to see where `--` stood). */
  argv: readonly string[];
  /** Records the exit code of a command that finished without throwing. */
  setExitCode(code: number): void;
}

/** The deps of the real process. */
export function processDeps(signal: AbortSignal): CommandDeps {
  return {
    // Read when used: creating process.stdin costs milliseconds that most commands do not need.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    clock: systemClock,
    connect: (client) => connectAgent({ env: process.env, client }),
    signal,
  };
}

/** Runs `work` with a client for the agent and closes it afterwards. */
export async function withAgent<T>(deps: CommandDeps, client: string, work: (agent: AgentClient) => Promise<T>): Promise<T> {
  const agent = await deps.connect(client);
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
