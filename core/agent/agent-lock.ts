import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, open, unlink, writeFile } from '../fs-calls.ts';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LatchkeyError } from '../common/errors.ts';
import type { Logger } from '../log.ts';
import { probeAgent } from './agent-probe.ts';
import { readDiscovery } from './discovery-file.ts';
import { isProcessAlive } from './process-alive.ts';

/** The claim of one agent on one home (docs/ARCHITECTURE.md, "The agent API": one agent per home). */
export interface AgentLock {
  path: string;
  /** Gives the home up; only removes the lock file while it is still this agent's. */
  release(): Promise<void>;
}

// Lock files this process holds: a lock naming our own pid is live only if it is in here (a lock
// left by an earlier process that had our pid is stale).
const heldHere = new Set<string>();

// A live pid whose agent does not answer may be an agent still starting; after this long without
// answering, the pid is taken to be an unrelated process that reused a dead agent's pid.
const startGraceMs = 15_000;
const attempts = 50;

/**
 * The lock's text: this process's pid and its host. A home may be shared by several machines (an
 * NFS home on every workstation), where a pid means nothing to another host: a lock is judged, and
 * broken, only by its own host. Locks from before hosts were recorded hold the pid alone.
 */
function lockContent(host: string): string {
  return `${process.pid} ${encodeURIComponent(host)}\n`;
}

/** This machine's name, as locks record it. */
export function thisHost(): string {
  return (process.getBuiltinModule('node:os') as typeof import('node:os')).hostname();
}

/** The lock file's text; null when there is none; a marker when the path is not a regular file. */
async function readLock(path: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') return '\0symlink';
    throw error;
  }
  try {
    const stat = await handle.stat();
    return stat.isFile() && stat.size < 1024 ? (await handle.read()).toString('utf8') : '\0not-a-file';
  } finally {
    await handle.close();
  }
}

/** The pid and host a lock names (host null: an old lock, taken to be this host's); null when it is not a lock's text. */
function lockHolder(content: string): { pid: number; host: string | null } | null {
  const match = /^([1-9]\d{0,9})(?: (\S{1,765}))?\n$/.exec(content);
  if (match === null) return null;
  let host: string | null = null;
  try {
    host = match[2] === undefined ? null : decodeURIComponent(match[2]);
  } catch {
    return null;
  }
  return { pid: Number(match[1]), host };
}

/** Creates the lock with its content in one step: link(2) fails with EEXIST on any existing entry and follows no link. */
async function tryCreate(path: string, host: string): Promise<boolean> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  await writeFile(temp, lockContent(host), { flag: 'wx', mode: 0o600 });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** The error for a home whose agent is running, naming its pid and, when it has announced one, its socket. */
async function runningError(home: string, pid: number, otherHost: string | null = null): Promise<LatchkeyError> {
  if (otherHost !== null) {
    return new LatchkeyError('agent_running', `The Latchkey agent of host ${otherHost} (pid ${pid}) holds this home, which this host shares with it.`, {
      hint: `Only ${otherHost} can tell whether that agent still runs: stop it there, or give this host a home of its own (LATCHKEY_HOME).`,
    });
  }
  const discovery = await readDiscovery(home);
  const where = discovery !== null && discovery.pid === pid ? `socket ${discovery.socket}` : 'still starting';
  return new LatchkeyError('agent_running', `Another Latchkey agent is running for this home (pid ${pid}, ${where}).`, {
    hint: `Use it (\`latchkey status\`), or stop pid ${pid} first. If no Latchkey agent has that pid, delete ${join(home, 'agent.lock')}.`,
  });
}

/** True when the lock's holder is an agent that is running (or starting) now. */
async function holderIsLive(home: string, path: string, pid: number): Promise<boolean> {
  if (pid === process.pid) return heldHere.has(path);
  if (!isProcessAlive(pid)) return false;
  const stat = await lstat(path).catch(() => null);
  if (stat !== null && Date.now() - stat.mtimeMs < startGraceMs) return true;
  const discovery = await readDiscovery(home);
  return discovery !== null && discovery.pid === pid && (await probeAgent(discovery.socket, discovery.token));
}

/**
 * Removes a stale lock whose text is still `staleContent`. A second lock file (`.break`, created
 * exclusively) serialises the breakers: without it, two starters that both saw the same stale lock
 * could each remove it, and the slower would remove the faster one's fresh lock.
 */
async function breakStaleLock(path: string, staleContent: string | null, logger: Logger, host: string): Promise<void> {
  const breaker = `${path}.break`;
  try {
    await writeFile(breaker, lockContent(host), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A breaker killed mid-way leaves its file; one older than a few seconds is abandoned.
    const stat = await lstat(breaker).catch(() => null);
    if (stat !== null && Date.now() - stat.mtimeMs > 5_000) await unlink(breaker).catch(() => undefined);
    await sleep(20);
    return;
  }
  try {
    if ((await readLock(path)) === staleContent && staleContent !== null) {
      await unlink(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return;
        // A folder, or something we may not remove: only a person can sort that out.
        throw new LatchkeyError('agent_failed', `${path} is in the way of the agent lock and cannot be removed.`, {
          hint: `Remove ${path}.`,
          cause: error,
        });
      });
      logger.info('replaced a stale agent lock', { path });
    }
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

/**
 * Claims `home` for this agent, or throws `agent_running` naming the running agent's pid. The
 * check and the claim are one exclusive file creation (`<home>/agent.lock`, holding the pid), so
 * two agents starting at once cannot both win; a lock whose pid is dead on this host is stale and
 * replaced. `host` is this machine's name (injected by tests of a home shared by two hosts).
 */
export async function acquireAgentLock(home: string, logger: Logger, host: string = thisHost()): Promise<AgentLock> {
  const path = join(home, 'agent.lock');
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await tryCreate(path, host)) {
      heldHere.add(path);
      const lock: AgentLock = { path, release: () => releaseLock(path, host) };
      await refuseUnlockedAgent(home, lock);
      return lock;
    }
    const content = await readLock(path);
    const holder = content === null ? null : lockHolder(content);
    // Another host's pid says nothing here: its lock stands until its own host breaks it.
    if (holder !== null && holder.host !== null && holder.host !== host) throw await runningError(home, holder.pid, holder.host);
    if (holder !== null && (await holderIsLive(home, path, holder.pid))) throw await runningError(home, holder.pid);
    await breakStaleLock(path, content, logger, host);
  }
  throw new LatchkeyError('agent_failed', `Could not claim ${path}: other processes kept changing it.`, {
    hint: `Check that only one agent starts for this home, then delete ${path} if no agent runs.`,
  });
}

/** An agent from before locks (or whose lock was deleted by hand) still answers: refuse too. */
async function refuseUnlockedAgent(home: string, lock: AgentLock): Promise<void> {
  const discovery = await readDiscovery(home);
  if (discovery === null || discovery.pid === process.pid || !isProcessAlive(discovery.pid)) return;
  if (!(await probeAgent(discovery.socket, discovery.token))) return;
  await lock.release();
  throw await runningError(home, discovery.pid);
}

async function releaseLock(path: string, host: string): Promise<void> {
  if (!heldHere.delete(path)) return;
  if ((await readLock(path)) !== lockContent(host)) return;
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
