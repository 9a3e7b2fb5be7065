import { chmod, lstat, unlink } from '../fs-calls.ts';
import { connect } from 'node:net';
import type { Server } from 'node:http';
import { LatchkeyError } from '../common/errors.ts';
import type { Logger } from '../log.ts';

// Unix sockets only: on Windows the agent listens on a named pipe (agent-endpoint.ts).

const socketMode = 0o600;
// sun_path holds 108 bytes on Linux and 104 on macOS, each with a terminating NUL (unix(7)).
const maxSocketPathBytes = 103;

/** Refuses a socket path the kernel cannot bind, with what to do about it. */
export function checkSocketPathLength(path: string): void {
  if (Buffer.byteLength(path) <= maxSocketPathBytes) return;
  throw new LatchkeyError('agent_failed', `The agent's socket path ${path} is longer than unix sockets allow (${maxSocketPathBytes} bytes).`, {
    hint: 'Set XDG_RUNTIME_DIR, or a shorter LATCHKEY_HOME.',
  });
}

/** True when something accepts connections on the unix socket at `path` within `timeoutMs`. */
export function socketAnswers(path: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Makes `path` free for a new socket. A leftover socket is removed only when nothing answers on it
 * (a crashed agent's); a symbolic link is removed as a link (unlink never follows one, so its target
 * is untouched); anything else is someone's file and a refusal.
 */
export async function clearSocketPath(path: string, logger: Logger): Promise<void> {
  let stat;
  try {
    stat = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (stat.isSymbolicLink()) {
    logger.warn('removed a symbolic link planted at the agent socket path', { path });
    await unlink(path);
    return;
  }
  if (!stat.isSocket()) {
    throw new LatchkeyError('agent_failed', `${path} is in the way of the agent's socket and is not a socket.`, {
      hint: `Remove ${path}; Latchkey recreates its socket there.`,
    });
  }
  if (await socketAnswers(path)) {
    throw new LatchkeyError('agent_running', `Another process answers on the agent socket ${path}.`, {
      hint: 'Run `latchkey status` to reach the running agent, or stop it first.',
    });
  }
  logger.info('removed a stale agent socket', { path });
  await unlink(path);
}

/**
 * Listens on the unix socket and sets it to 0600. The socket exists with umask-derived bits between
 * bind(2) and the chmod; its folder is 0700, so no other user can reach it in that instant.
 */
export async function listenOnSocket(server: Server, path: string, backlog: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path, backlog }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await chmod(path, socketMode);
  const stat = await lstat(path);
  if (!stat.isSocket() || (stat.mode & 0o777) !== socketMode) {
    throw new LatchkeyError('agent_failed', `The agent socket ${path} could not be made private.`);
  }
}
