import { constants, type Stats } from 'node:fs';
import { lstat, open, unlink } from '../fs-calls.ts';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { LatchkeyError } from '../common/errors.ts';
import { registerSecret } from '../secrets.ts';

/** What `agent.json` tells a client (DESIGN.md section 5): where the agent listens and its token. */
export interface AgentDiscovery {
  version: string;
  pid: number;
  /** Absolute path of the agent's unix socket. */
  socket: string;
  /** The agent's TCP port on 127.0.0.1. */
  port: number;
  token: string;
}

const fileMode = 0o600;
// A real discovery file is a few hundred bytes; anything much larger is not one.
const maxFileBytes = 16 * 1024;

const discoverySchema = z.object({
  version: z.string(),
  pid: z.number().int().positive(),
  socket: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  token: z.string().min(1),
}) satisfies z.ZodType<AgentDiscovery>;

/** The discovery file of a home. */
export function discoveryPath(home: string): string {
  return join(home, 'agent.json');
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Reads a home's discovery file; null when it is missing, not a regular file, or not a valid one. */
export async function readDiscovery(home: string): Promise<AgentDiscovery | null> {
  const path = discoveryPath(home);
  let handle;
  try {
    // O_NOFOLLOW: a symbolic link at the path is never read through (it is 0 on Windows).
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return null;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > maxFileBytes) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse((await handle.read()).toString('utf8'));
    } catch {
      return null;
    }
    const result = discoverySchema.safeParse(parsed);
    if (!result.success) return null;
    registerSecret(result.data.token);
    return result.data;
  } finally {
    await handle.close();
  }
}

/**
 * Writes a home's discovery file atomically at 0600. write-file-atomic resolves symbolic links
 * (it writes to the link's target), so anything at the path that is not a regular file is
 * unlinked first: the link goes, its target is never touched.
 */
export async function writeDiscovery(home: string, discovery: AgentDiscovery): Promise<string> {
  const path = discoveryPath(home);
  const existing = await lstatOrNull(path);
  if (existing !== null && !existing.isFile()) {
    if (existing.isDirectory()) {
      throw new LatchkeyError('agent_failed', `${path} is a folder, so the agent cannot announce itself there.`, {
        hint: `Remove ${path}.`,
      });
    }
    await unlink(path);
  }
  // write-file-atomic applies `mode` with chmod after creating its temporary file, so the umask
  // cannot widen it; the rename then replaces any previous file in one step.
  await writeFileAtomic(path, JSON.stringify(discovery, null, 2) + '\n', { mode: fileMode, fsync: true });
  const written = await lstat(path);
  if (!written.isFile() || (written.mode & 0o777) !== fileMode) {
    throw new LatchkeyError('agent_failed', `The discovery file ${path} could not be written privately.`);
  }
  return path;
}

/** Removes a home's discovery file if it still announces the agent holding `token` (never another agent's). */
export async function removeDiscovery(home: string, token: string): Promise<void> {
  const current = await readDiscovery(home);
  if (current === null || current.token !== token) return;
  await unlink(discoveryPath(home)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
