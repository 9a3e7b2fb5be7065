import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir } from '../fs-calls.ts';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { LatchkeyError } from '../common/errors.ts';
import { hostKey, hostName } from '../home.ts';

const folderMode = 0o700;

/**
 * The private folder that holds the agent's unix socket (docs/ARCHITECTURE.md, "The agent API"): `override` when
 * given; else `$XDG_RUNTIME_DIR/latchkey/<home key>/` when XDG_RUNTIME_DIR is set (the XDG Base
 * Directory spec's place for sockets: per user, 0700, cleared at logout); else `<home>/run/<host key>/`.
 *
 * Under XDG_RUNTIME_DIR every home of the user shares one `latchkey/` folder, so each home gets
 * its own subfolder, named by a hash of its path: two agents for two homes (a test home and the
 * real one) must never find each other's socket. XDG_RUNTIME_DIR is the machine's own; a home
 * may be shared by several (NFS), so there each host gets a subfolder of `run/`, named by a short
 * hash of its name (a socket's path has about 100 bytes at most).
 */
export function agentRuntimeDir(home: string, options: RuntimeDirOptions = {}): string {
  if (options.override !== undefined) return resolve(options.override);
  const xdg = xdgRuntimeDir(options.env ?? process.env);
  const host = options.host ?? hostName(options.env);
  // Keyed by home and host: one machine runs an agent per host name only in tests (LATCHKEY_HOST), but must keep them apart then too.
  return xdg === null ? join(resolve(home), 'run', hostKey(host)) : join(xdg, 'latchkey', homeKey(join(home, 'hosts', host)));
}

/** Where the runtime folder comes from. */
export interface RuntimeDirOptions {
  env?: NodeJS.ProcessEnv;
  /** A folder to use instead (the agent's `runtimeDir` option). */
  override?: string;
  /** This machine's name in the home (default: hostName). */
  host?: string;
}

function xdgRuntimeDir(env: NodeJS.ProcessEnv): string | null {
  const xdg = env['XDG_RUNTIME_DIR'];
  // The XDG Base Directory spec: a relative path must be ignored.
  return xdg && isAbsolute(xdg) ? xdg : null;
}

/** A short, stable name for a home: the first 16 hex digits of the SHA-256 of its absolute path. */
export function homeKey(home: string): string {
  return createHash('sha256').update(resolve(home)).digest('hex').slice(0, 16);
}

function refusal(path: string, problem: string): LatchkeyError {
  return new LatchkeyError('agent_failed', `Refusing to use the agent's runtime folder ${path}: ${problem}.`, {
    hint: `Remove ${path} (Latchkey recreates it), or set XDG_RUNTIME_DIR to a folder only you can use.`,
  });
}

/**
 * Creates (or checks) one folder level at exactly 0700, owned by this user. mkdir's mode passes
 * through the umask, so the mode is set with chmod afterwards; lstat (never stat) makes a symbolic
 * link planted at the path a refusal instead of a folder we would follow.
 */
export async function ensurePrivateFolder(path: string): Promise<void> {
  try {
    await mkdir(path, { mode: folderMode });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stat = await lstat(path);
  if (stat.isSymbolicLink()) throw refusal(path, 'it is a symbolic link');
  if (!stat.isDirectory()) throw refusal(path, 'it is not a folder');
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) throw refusal(path, `it belongs to another user (uid ${stat.uid})`);
  if ((stat.mode & 0o777) !== folderMode) await chmod(path, folderMode);
}

/**
 * Prepares the runtime folder for `home` and returns it. Only the levels Latchkey owns are created
 * and tightened: XDG_RUNTIME_DIR itself belongs to the session manager, and the home's parents to the user.
 */
export async function prepareRuntimeDir(home: string, options: RuntimeDirOptions = {}): Promise<string> {
  const dir = agentRuntimeDir(home, options);
  const underXdg = options.override === undefined && xdgRuntimeDir(options.env ?? process.env) !== null;
  // Under XDG_RUNTIME_DIR, `latchkey/` is ours too, as is the home's `run/`; the caller's chosen
  // place is created if missing but never re-moded.
  if (options.override === undefined) {
    if (!underXdg) await mkdir(resolve(home), { recursive: true, mode: folderMode });
    await ensurePrivateFolder(dirname(dir));
  } else {
    await mkdir(dirname(dir), { recursive: true, mode: folderMode });
  }
  await ensurePrivateFolder(dir);
  return dir;
}
