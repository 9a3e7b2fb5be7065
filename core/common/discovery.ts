// The discovery file `agent.json` (docs/ARCHITECTURE.md, "The agent API"): written by the agent,
// read by every client, with one set of rules for both.

/** Where a running agent listens and its token. */
export interface AgentDiscovery {
  version: string;
  pid: number;
  /** The unix socket (a named pipe on Windows), or empty for none; clients try it before TCP. */
  socket: string;
  /** The TCP port on 127.0.0.1. */
  port: number;
  token: string;
}

/** The discovery file's name in a home. */
export const discoveryFileName = 'agent.json';

/** A real discovery file is a few hundred bytes; anything much larger is not one. */
export const maxDiscoveryBytes = 16 * 1024;

// A bearer token's characters only (RFC 6750 b64token): it goes into a request head as it is.
const tokenShape = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The discovery a parsed `agent.json` holds, or null when it is not one. Checked by hand rather
 * than with a schema library: every `latchkey token` reads this file, and loading one would cost
 * more than the rest of the command.
 */
export function parseDiscovery(value: unknown): AgentDiscovery | null {
  if (typeof value !== 'object' || value === null) return null;
  const { version, pid, socket, port, token } = value as Record<string, unknown>;
  const valid =
    typeof version === 'string' &&
    Number.isSafeInteger(pid) && (pid as number) > 0 &&
    typeof socket === 'string' &&
    Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535 &&
    typeof token === 'string' && tokenShape.test(token);
  return valid ? { version, pid: pid as number, socket, port: port as number, token } : null;
}
