import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { latchkeyHome } from '../../core/home.ts';
import { registerSecret } from '../../core/log.ts';
import { agentNotRunning } from './agent-error.ts';

/** Where a running agent listens and its token: the content of `agent.json` (DESIGN.md section 5). */
export interface AgentDiscovery {
  version: string;
  pid: number;
  /** The unix socket (a named pipe on Windows); tried before TCP. */
  socket: string;
  /** The TCP port on 127.0.0.1. */
  port: number;
  token: string;
}

// Checked by hand rather than with zod: every `latchkey token` reads this file, and loading zod
// would cost more than the whole rest of the command.
function asDiscovery(value: unknown): AgentDiscovery | null {
  if (typeof value !== 'object' || value === null) return null;
  const { version, pid, socket, port, token } = value as Record<string, unknown>;
  const valid =
    typeof version === 'string' &&
    Number.isInteger(pid) && (pid as number) > 0 &&
    typeof socket === 'string' &&
    Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535 &&
    // A bearer token's characters only (RFC 6750 b64token): it goes into a request head as it is.
    typeof token === 'string' && /^[A-Za-z0-9\-._~+/]+=*$/.test(token);
  return valid ? { version, pid: pid as number, socket, port: port as number, token } : null;
}

// A real discovery file is a few hundred bytes.
const maxFileBytes = 16 * 1024;

/** The discovery file a client reads: `LATCHKEY_AGENT` when set, else `<home>/agent.json`. */
export function discoveryFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env['LATCHKEY_AGENT'];
  return chosen ? chosen : join(latchkeyHome(env), 'agent.json');
}

/** Reads a discovery file; a missing, oversized or invalid one means no agent (`agent_not_running`). */
export function readDiscoveryFile(path: string): AgentDiscovery {
  let text: string;
  try {
    // Read at once: a few hundred bytes, and every `latchkey token` starts here (neither a trip
    // through the thread pool nor node:fs/promises to load).
    const bytes = readFileSync(path);
    if (bytes.length > maxFileBytes) throw new Error('too large');
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
  const discovery = asDiscovery(parsed);
  if (discovery === null) throw agentNotRunning(`${path} is not a Latchkey agent discovery file.`);
  // The token must never reach an error message or a log line, even by accident.
  registerSecret(discovery.token);
  return discovery;
}
