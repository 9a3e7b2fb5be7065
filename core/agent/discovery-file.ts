import { constants } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import { discoveryFileName, maxDiscoveryBytes, parseDiscovery, type AgentDiscovery } from '../common/discovery.ts';
import { LatchkeyError } from '../common/errors.ts';
import { lstat, lstatOrNull, open, unlink } from '../fs-calls.ts';
import { registerSecret } from '../secrets.ts';

// The file's shape and its rules are the contract's (core/common/discovery.ts); this module reads
// and writes it safely: 0600, atomically, never through a symbolic link.

const fileMode = 0o600;

/** The discovery file of a home. */
export function discoveryPath(home: string): string {
  return join(home, discoveryFileName);
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
    if (!stat.isFile() || stat.size > maxDiscoveryBytes) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse((await handle.read()).toString('utf8'));
    } catch {
      return null;
    }
    const discovery = parseDiscovery(parsed);
    if (discovery === null) return null;
    registerSecret(discovery.token);
    return discovery;
  } finally {
    await handle.close();
  }
}

/**
 * Writes a home's discovery file atomically at 0600. Anything at the path that is not a regular
 * file is unlinked first: a link goes (the rename replaces it, never its target), a folder is refused.
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
  // The mode is set on the temporary file after creating it, so the umask cannot widen it; the
  // rename then replaces any previous file in one step.
  await writeFileAtomic(path, JSON.stringify(discovery, null, 2) + '\n', fileMode);
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
