import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from '../core/agent/process-alive.ts';
import { hasCode, LatchkeyError, type ErrorCode } from '../core/common/errors.ts';
import { homePaths, hostName, latchkeyHome, type HomePaths } from '../core/home.ts';
import { connectAgent } from './client/agent-client.ts';
import { latchkeyBin } from './latchkey-bin.ts';

// Starting an agent on demand (docs/ARCHITECTURE.md, "The agent on demand"): a command that needs
// an agent and finds none starts `latchkey agent` in the background and waits until it answers.

/** How long a command waits for an agent it started (or saw being started) to answer. */
const startTimeoutMs = 30_000;
/** How often a waiting command asks whether the agent answers yet. */
const pollMs = 50;

/** The variables a started agent inherits: the caller's, without any session handed to it (`exec`). */
function agentEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = { ...env };
  for (const name of ['LATCHKEY_SESSION', 'LATCHKEY_SITE_URL', 'LATCHKEY_NO_AUTOSTART']) delete kept[name];
  return kept;
}

/** The pid of the agent serving `env`'s home when it answers its health check now, else null. */
async function answeringPid(env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<number | null> {
  let client;
  try {
    client = await connectAgent({ env, client: 'latchkey (starting the agent)' });
    return (await client.call('health', {}, { signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]) })).pid;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    // A discovery file left by a dead agent names the socket path a new agent may already listen
    // on, with the dead one's port and token: refused (421, 401) until the new agent announces itself.
    const stale: readonly ErrorCode[] = ['agent_not_running', 'misdirected', 'unauthorized'];
    if ((hasCode(error) && stale.includes(error.code)) || (error instanceof DOMException && error.name === 'TimeoutError')) return null;
    throw error;
  } finally {
    client?.close();
  }
}

/**
 * The start lock (`<home>/hosts/<host>/agent-start.lock`, holding the starter's pid): of the commands that find
 * no agent at once, only the one that creates it starts one; the others wait for that agent.
 */
function tryStartLock(path: string): boolean {
  try {
    writeFileSync(path, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * A start lock left by a command that died, or held for longer than any start takes. A lock
 * without a pid yet is one being written (its creator writes the pid right after creating it):
 * fresh, unless it is that old.
 */
function startLockIsStale(path: string, now: number): boolean {
  try {
    const text = readFileSync(path, 'utf8').trim();
    const old = now - statSync(path).mtimeMs > 2 * startTimeoutMs;
    return /^[1-9]\d*$/.test(text) ? !isProcessAlive(Number(text)) || old : old;
  } catch {
    // Gone already.
    return false;
  }
}

function failedToStart(paths: HomePaths, detail: string): LatchkeyError {
  return new LatchkeyError('agent_failed', `The Latchkey agent for ${paths.home} ${detail}.`, {
    hint: `Its output is in ${paths.agentOutput} and its log in ${paths.log}; \`latchkey agent\` runs it in this terminal.`,
  });
}

/**
 * Starts `latchkey agent` detached from this command, its output in the home; resolves once an
 * agent answers, with the pid of the one this command started, or null when another one serves.
 */
async function spawnAgent(env: NodeJS.ProcessEnv, paths: HomePaths, signal: AbortSignal, deadline: number): Promise<number | null> {
  mkdirSync(dirname(paths.agentOutput), { recursive: true, mode: 0o700 });
  const output = openSync(paths.agentOutput, 'w', 0o600);
  let exited: string | null = null;
  let child;
  try {
    child = spawn(process.execPath, [latchkeyBin(), 'agent'], { cwd: paths.home, detached: true, stdio: ['ignore', output, output], env: agentEnv(env), windowsHide: true });
  } finally {
    closeSync(output);
  }
  child.once('error', (error) => (exited = `could not be started (${error.message})`));
  child.once('exit', (code, sig) => (exited = `stopped as it started (${sig === null ? `exit ${code}` : sig})`));
  try {
    for (;;) {
      const pid = await answeringPid(env, signal);
      if (pid !== null) return pid === child.pid ? pid : null;
      if (exited !== null) throw failedToStart(paths, exited);
      if (Date.now() > deadline) throw failedToStart(paths, `did not answer within ${startTimeoutMs / 1000} s`);
      await sleep(pollMs, undefined, { signal });
    }
  } finally {
    // The agent outlives this command; this command does not wait for it.
    child.unref();
  }
}

/**
 * Makes sure an agent serves `env`'s home, starting one in the background when none answers.
 * Returns the pid of the agent this command started, or null when one was already there (or
 * another command started it meanwhile). Ten commands at once start one agent: see tryStartLock.
 */
export async function ensureAgent(env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<number | null> {
  const paths = homePaths(latchkeyHome(env), hostName(env));
  mkdirSync(paths.hostDir, { recursive: true, mode: 0o700 });
  const lock = join(paths.hostDir, 'agent-start.lock');
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if ((await answeringPid(env, signal)) !== null) return null;
    if (tryStartLock(lock)) {
      try {
        // Another command may have started one between the check and the lock.
        if ((await answeringPid(env, signal)) !== null) return null;
        return await spawnAgent(env, paths, signal, deadline);
      } finally {
        try {
          unlinkSync(lock);
        } catch {
          // Removed as stale by a waiter: nothing left to do.
        }
      }
    }
    if (startLockIsStale(lock, Date.now())) {
      try {
        unlinkSync(lock);
      } catch {
        // Another waiter removed it first.
      }
      continue;
    }
    if (Date.now() > deadline) throw failedToStart(paths, `was being started by another command and did not answer within ${startTimeoutMs / 1000} s`);
    await sleep(pollMs, undefined, { signal });
  }
}
