import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { prepareRuntimeDir } from './runtime-dir.ts';
import { checkSocketPathLength, clearSocketPath, listenOnSocket } from './unix-socket.ts';
import type { Logger } from '../log.ts';

// The agent's local endpoint besides TCP (docs/ARCHITECTURE.md, "The agent API"): a unix socket in
// a private folder, or on Windows, where Node listens on named pipes only, a named pipe.

/**
 * The pipe name of one agent on Windows. Pipe names are one namespace for every user of the
 * machine, so the name carries 128 random bits: another user can neither predict it nor create it
 * first, and it is never derived from the home's path. It is announced in the discovery file only.
 */
export function windowsPipeName(random: Buffer = randomBytes(16)): string {
  return `\\\\.\\pipe\\latchkey-${random.toString('hex')}`;
}

/** Where the agent listens on `platform`: a fresh pipe name on Windows, else `agent.sock` in the runtime folder. */
export function endpointPath(platform: NodeJS.Platform, runtimeDir: string): string {
  return platform === 'win32' ? windowsPipeName() : join(runtimeDir, 'agent.sock');
}

/** Prepares and opens the local endpoint for `home`; returns its path. */
export async function listenOnEndpoint(server: Server, home: string, options: { runtimeDir?: string; host?: string; backlog: number; logger: Logger; platform?: NodeJS.Platform }): Promise<string> {
  const platform = options.platform ?? process.platform;
  if (platform === 'win32') {
    const pipe = endpointPath(platform, '');
    // libuv creates the pipe as its first instance: a name someone else holds fails to bind.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ path: pipe, backlog: options.backlog }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return pipe;
  }
  const runtimeDir = await prepareRuntimeDir(home, { ...(options.runtimeDir === undefined ? {} : { override: options.runtimeDir }), ...(options.host === undefined ? {} : { host: options.host }) });
  const socketPath = endpointPath(platform, runtimeDir);
  checkSocketPathLength(socketPath);
  await clearSocketPath(socketPath, options.logger);
  await listenOnSocket(server, socketPath, options.backlog);
  return socketPath;
}
