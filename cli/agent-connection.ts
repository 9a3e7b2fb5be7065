import { hasCode } from '../core/common/errors.ts';
import { connectAgent, type AgentClient } from './client/agent-client.ts';
import { neverReachedAgent } from './client/agent-transport.ts';
import type { TextOut } from './deps.ts';
import { latchkeyVersion } from './version.ts';

/** How a command reaches the agent. */
export interface AgentConnectOptions {
  env: NodeJS.ProcessEnv;
  /** The name the agent records for this command. */
  client: string;
  /** May this command start an agent when none answers (docs/ARCHITECTURE.md, "The agent on demand")? */
  start: boolean;
  stderr: TextOut;
  signal: AbortSignal;
}

/**
 * False where a command must not start an agent: `LATCHKEY_NO_AUTOSTART=1`, or an agent chosen by
 * its discovery file (`LATCHKEY_AGENT`), which an agent started here would not write.
 */
export function mayStartAgent(env: NodeJS.ProcessEnv): boolean {
  return env['LATCHKEY_NO_AUTOSTART'] !== '1' && !env['LATCHKEY_AGENT'];
}

/** Starts an agent in the background (loaded only then: it brings node:child_process) and says so. */
async function startAgent(options: AgentConnectOptions): Promise<void> {
  const { ensureAgent } = await import('./agent-autostart.ts');
  const pid = await ensureAgent(options.env, options.signal);
  if (pid !== null) options.stderr.write(`Started the Latchkey agent in the background (pid ${pid}); \`latchkey agent stop\` stops it.\n`);
}

/** Says so when the agent is another version than this command: `agent stop` brings them in step. */
function warnOnSkew(client: AgentClient, stderr: TextOut): void {
  const { version, pid } = client.agent;
  if (version === latchkeyVersion) return;
  stderr.write(
    `latchkey: the running agent (pid ${pid}) is Latchkey ${version}, and this command is ${latchkeyVersion}.\n` +
      `hint: \`latchkey agent stop\` stops it; the next command starts the agent of this version.\n`,
  );
}

/**
 * A client for the agent of the home. When `start` allows, an agent is started when there is none,
 * and once more when the announced one turns out gone before a request reached it (nothing ran, so
 * the request is sent again to the new agent).
 */
export async function connectCommand(options: AgentConnectOptions): Promise<AgentClient> {
  const open = (): Promise<AgentClient> => connectAgent({ env: options.env, client: options.client });
  const start = options.start && mayStartAgent(options.env);
  let inner: AgentClient;
  try {
    inner = await open();
  } catch (error) {
    if (!start || !hasCode(error, 'agent_not_running')) throw error;
    await startAgent(options);
    inner = await open();
  }
  warnOnSkew(inner, options.stderr);
  if (!start) return inner;
  let restarted = false;
  const retried = async <T>(work: (client: AgentClient) => Promise<T>): Promise<T> => {
    try {
      return await work(inner);
    } catch (error) {
      if (restarted || !neverReachedAgent(error)) throw error;
      restarted = true;
      inner.close();
      await startAgent(options);
      inner = await open();
      return work(inner);
    }
  };
  return {
    get discoveryPath() {
      return inner.discoveryPath;
    },
    get agent() {
      return inner.agent;
    },
    call: (name, request, callOptions) => retried((client) => client.call(name, request, callOptions)),
    uiTicket: (callOptions) => retried((client) => client.uiTicket(callOptions)),
    stopAgent: (callOptions) => inner.stopAgent(callOptions),
    events: (listener) => inner.events(listener),
    close: () => inner.close(),
  };
}
