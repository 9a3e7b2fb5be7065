import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoveryFileName, maxDiscoveryBytes, parseDiscovery, type AgentDiscovery } from '../../core/common/discovery.ts';
import { homePaths, hostName, latchkeyHome } from '../../core/home.ts';
import { registerSecret } from '../../core/secrets.ts';
import { agentNotRunning } from './agent-not-running.ts';

/** The discovery file a client reads: `LATCHKEY_AGENT` when set, else this host's `<home>/hosts/<host>/agent.json`. */
export function discoveryFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env['LATCHKEY_AGENT'];
  return chosen ? chosen : join(homePaths(latchkeyHome(env), hostName(env)).hostDir, discoveryFileName);
}

/** Reads a discovery file; a missing, oversized or invalid one means no agent (`agent_not_running`). */
export function readDiscoveryFile(path: string): AgentDiscovery {
  let text: string;
  try {
    // Read at once: a few hundred bytes, and every `latchkey token` starts here (neither a trip
    // through the thread pool nor node:fs/promises to load).
    const bytes = readFileSync(path);
    if (bytes.length > maxDiscoveryBytes) throw new Error('too large');
    text = bytes.toString('utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw agentNotRunning(missing ? `No Latchkey agent is running (there is no ${path}).` : `The agent's discovery file ${path} cannot be read.`, cause);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw agentNotRunning(`The agent's discovery file ${path} is not valid JSON.`, cause);
  }
  const discovery = parseDiscovery(parsed);
  if (discovery === null) throw agentNotRunning(`${path} is not a Latchkey agent discovery file.`);
  // The token must never reach an error message or a log line, even by accident.
  registerSecret(discovery.token);
  return discovery;
}
