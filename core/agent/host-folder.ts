import { join } from 'node:path';
import { LatchkeyError } from '../common/errors.ts';
import { lstatOrNull, mkdir, rename } from '../fs-calls.ts';
import { legacyHostEntries, type HomePaths } from '../home.ts';
import type { Logger } from '../log.ts';
import { probeAgent } from './agent-probe.ts';
import { readDiscovery } from './discovery-file.ts';
import { isProcessAlive } from './process-alive.ts';

/** Creates this host's folder in the home (0700, as the home). */
export async function ensureHostFolder(paths: HomePaths): Promise<void> {
  await mkdir(paths.hostDir, { recursive: true, mode: 0o700 });
}

/**
 * Before hosts had folders, the agent's files sat at the top of the home. An agent of that layout
 * that still answers serves the home: refused, as any running agent is. Its sessions and login
 * profiles then move into the first host's folder that starts (with the lock held, so
 * one agent of this host does it; a rename is atomic, so two hosts cannot both take an entry).
 */
export async function adoptLegacyLayout(paths: HomePaths, logger: Logger): Promise<void> {
  const legacy = await readDiscovery(paths.home);
  if (legacy !== null && legacy.pid !== process.pid && isProcessAlive(legacy.pid) && (await probeAgent(legacy.socket, legacy.token))) {
    throw new LatchkeyError('agent_running', `A Latchkey agent of an earlier version is running for this home (pid ${legacy.pid}, socket ${legacy.socket}).`, {
      hint: `Stop pid ${legacy.pid}, then start Latchkey again: its sessions move to ${paths.hostDir}.`,
    });
  }
  const moved: string[] = [];
  for (const name of legacyHostEntries) {
    const from = join(paths.home, name);
    const to = join(paths.hostDir, name);
    if ((await lstatOrNull(from)) === null || (await lstatOrNull(to)) !== null) continue;
    try {
      await rename(from, to);
      moved.push(name);
    } catch (error) {
      // Another host took it first.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  if (moved.length > 0) logger.info("moved the home's files into this host's folder", { moved: moved.join(','), to: paths.hostDir });
}
