import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from '../../core/agent/process-alive.ts';
import { hasCode, LatchkeyError } from '../../core/common/errors.ts';
import { latchkeyHome } from '../../core/home.ts';
import { discoveryFilePath, readDiscoveryFile } from '../client/discovery.ts';
import { defineCommand } from '../command.ts';
import type { CommandDeps } from '../deps.ts';
import { exitCodes } from '../exit-codes.ts';

// How long `agent stop` waits for the agent to close: it ends its streams and logins first.
const stopTimeoutMs = 30_000;
const pollMs = 50;

/** True while the discovery file still announces the agent with `pid`, and that process lives. */
function stillAnnounced(env: NodeJS.ProcessEnv, pid: number): boolean {
  try {
    return readDiscoveryFile(discoveryFilePath(env)).pid === pid && isProcessAlive(pid);
  } catch (error) {
    if (hasCode(error, 'agent_not_running')) return false;
    throw error;
  }
}

/**
 * Asks the home's agent to stop and waits until it has: its discovery file gone, its process
 * ended. Resolves with its pid, or null when none was running.
 */
export async function stopHomeAgent(deps: CommandDeps): Promise<number | null> {
  let pid: number;
  try {
    const client = await deps.connect('latchkey agent stop', { start: false });
    try {
      ({ pid } = await client.stopAgent({ signal: deps.signal }));
    } finally {
      client.close();
    }
  } catch (error) {
    if (!hasCode(error, 'agent_not_running')) throw error;
    return null;
  }
  const deadline = Date.now() + stopTimeoutMs;
  while (stillAnnounced(deps.env, pid)) {
    if (Date.now() > deadline) {
      throw new LatchkeyError('agent_failed', `The Latchkey agent (pid ${pid}) was asked to stop and has not within ${stopTimeoutMs / 1000} s.`, {
        hint: `Its log may say why; \`kill ${pid}\` ends it.`,
      });
    }
    await sleep(pollMs, undefined, { signal: deps.signal });
  }
  return pid;
}

async function stopAgent(deps: CommandDeps): Promise<number> {
  const pid = await stopHomeAgent(deps);
  // Nothing to stop is what was asked for.
  deps.stderr.write(pid === null ? `No Latchkey agent is running for ${latchkeyHome(deps.env)}.\n` : `Stopped the Latchkey agent (pid ${pid}).\n`);
  return exitCodes.ok;
}

/** `latchkey agent stop`: stops the agent serving the home (a headless one; the desktop app is quit from its tray). */
export const command = defineCommand<Record<string, never>>({
  operands: [],
  options: [],
  details: `Asks the agent serving LATCHKEY_HOME (or the app-data folder) to stop, and waits until it has.
Its sessions stay stored: the next command that needs an agent starts one, which uses them. Nothing
running is not an error (exit 0). The desktop app refuses: quit it from its tray menu.`,
  examples: ['latchkey agent stop'],
  read: () => ({}),
  run: (_options, deps) => stopAgent(deps),
});
