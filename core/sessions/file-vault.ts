import { constants } from 'node:fs';
import { chmod, lstat, lstatOrNull, mkdir, open, readdir, rename, unlink } from '../fs-calls.ts';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import * as z from 'zod/mini';
import '../validation.ts';
import { systemClock, type Clock } from '../clock.ts';
import { LatchkeyError } from '../common/errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import type { Session } from './session.ts';
import type { Vault, VaultContents, VaultLoad } from './vault.ts';

const fileMode = 0o600;
const folderMode = 0o700;

const cookieSchema = z.object({
  name: z.string(),
  value: z.string(),
  domain: z.string(),
  path: z.string(),
  expires: z.nullable(z.number()),
  httpOnly: z.boolean(),
  secure: z.boolean(),
  sameSite: z.nullable(z.enum(['Strict', 'Lax', 'None'])),
});

const sessionSchema = z.object({
  siteId: z.string().check(z.minLength(1)),
  siteUrl: z.string(),
  user: z.nullable(z.string()),
  credential: z.object({ kind: z.enum(['cookie', 'bearer', 'key']), name: z.string(), value: z.string() }),
  cookies: z.array(cookieSchema),
  obtainedAt: z.number(),
  expiresAt: z.nullable(z.number()),
  refreshToken: z.optional(z.string()),
  idToken: z.optional(z.string()),
}) satisfies z.ZodMiniType<Session>;

const storeSchema = z.object({ version: z.literal(1), sessions: z.record(z.string(), sessionSchema) }).check(
  z.superRefine((store: { sessions: Record<string, Session> }, context) => {
    // A session filed under another site's id would be handed to the wrong site.
    for (const [key, session] of Object.entries(store.sessions)) {
      if (session.siteId !== key) context.addIssue({ code: 'custom', message: 'siteId differs from its key', path: ['sessions', key], input: store });
    }
  }),
);

/** Why a stored file could not be read; the only detail about a corrupt store that is ever logged. */
export type CorruptReason = 'empty' | 'not_json' | 'unsupported_version' | 'wrong_shape' | 'undecryptable';

/** What opening sealed data gives: the text, and whether the keychain asks for it to be sealed again (a rotated key). */
export type Opened = string | { text: string; reseal: boolean };

/** Encryption at rest by the OS keychain (Electron's safeStorage); the file then holds only ciphertext. */
export interface VaultCipher {
  /** Throws CipherUnavailable when the keychain cannot answer now. */
  seal(text: string): Buffer | Promise<Buffer>;
  /** Throws CipherUnavailable when the keychain cannot answer now, anything else when the data was not sealed by this user's keychain. */
  open(data: Buffer): Opened | Promise<Opened>;
}

/** The keychain cannot answer now (locked, busy, not started yet): the store is kept, and read again later. */
export class CipherUnavailable extends Error {
  constructor(message = 'the keychain is not available now') {
    super(message);
    this.name = 'CipherUnavailable';
  }
}

// A keychain that says "not now" is asked again this many times, waiting longer each time, before
// the store is reported unreadable for now (never set aside: its data is good).
const unavailableRetries = [1_000, 2_000, 4_000];

// The atomic writer names its temporary file `<path>.<uint32 in decimal>` (core/atomic-write.ts,
// the shape write-file-atomic used too). Only names of exactly that form are a killed writer's leftovers.
const tempSuffix = /^\.\d{1,10}$/;

// Per store path, the tail of the operations queued on it, so that saves and loads in this process
// run one at a time in call order: the last save wins and none interleave.
const queues = new Map<string, Promise<void>>();

function enqueue<T>(key: string, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(task);
  const tail = run.then(() => undefined, () => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

function parseStore(bytes: Buffer): { ok: true; sessions: VaultContents } | { ok: false; reason: CorruptReason } {
  if (bytes.length === 0) return { ok: false, reason: 'empty' };
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, reason: 'not_json' };
  }
  const version = typeof raw === 'object' && raw !== null && 'version' in raw ? raw.version : undefined;
  if (typeof version === 'number' && version !== 1) return { ok: false, reason: 'unsupported_version' };
  const parsed = storeSchema.safeParse(raw);
  return parsed.success ? { ok: true, sessions: parsed.data.sessions } : { ok: false, reason: 'wrong_shape' };
}

function symlinkRefusal(path: string): LatchkeyError {
  return new LatchkeyError('store_failed', `Refusing to use the session store: ${path} is a symbolic link.`, {
    hint: 'Remove the link; Latchkey keeps sessions in a real file inside its own folder.',
  });
}

// What the system's answer means to a person, for the ones a disk gives.
const diskReasons: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the disk is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EIO: 'the disk reported an input/output error',
};

function storeFailed(action: string, path: string, error: unknown): LatchkeyError {
  if (error instanceof LatchkeyError) return error;
  // The cause is a file-system error: it names paths and system calls, never file contents.
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const why = code === undefined ? '' : ` (${diskReasons[code] ?? 'system error'}: ${code})`;
  const kept = action === 'write' ? '; the store as last written is kept' : '';
  return new LatchkeyError('store_failed', `Could not ${action} the session store at ${path}${why}${kept}.`, { cause: error });
}

/** Options of a FileVault. */
export interface FileVaultOptions {
  /** The store file, e.g. `<home>/sessions.json`; its folder is Latchkey's own and is kept at 0700. */
  path: string;
  logger?: Logger;
  /** Names set-aside files; injected so tests can fix the name. */
  clock?: Clock;
  /** Encrypts the file with the keychain; without it the file is plaintext, readable only by the user. */
  cipher?: VaultCipher;
  /** What the cipher is, for `status`: the desktop app's keychain (default) or the headless agent's keyring key. */
  protection?: 'keychain' | 'keyring';
}

/**
 * Sessions in a JSON file readable only by the user (docs/ARCHITECTURE.md, "Sessions", `storage: plaintext`).
 * The store is meant to have one writing process (the agent); within it, operations are serialised.
 */
export class FileVault implements Vault {
  readonly protection: 'keychain' | 'keyring' | 'plaintext';
  readonly path: string;
  readonly #cipher: VaultCipher | undefined;
  readonly #folder: string;
  readonly #logger: Logger;
  readonly #clock: Clock;

  constructor(options: FileVaultOptions) {
    this.path = resolve(options.path);
    this.#folder = dirname(this.path);
    this.#logger = options.logger ?? silentLogger;
    this.#clock = options.clock ?? systemClock;
    this.#cipher = options.cipher;
    this.protection = options.cipher ? (options.protection ?? 'keychain') : 'plaintext';
  }

  /**
   * The file's bytes as JSON text bytes and whether the keychain wants them sealed again, or null
   * when the keychain cannot open them. A keychain that cannot answer now is asked again a few
   * times (it may be unlocking); after that, CipherUnavailable goes on to the caller.
   */
  async #decrypt(bytes: Buffer): Promise<{ plain: Buffer; reseal: boolean } | null> {
    if (!this.#cipher || bytes.length === 0) return { plain: bytes, reseal: false };
    for (let attempt = 0; ; attempt += 1) {
      try {
        const opened = await this.#cipher.open(bytes);
        return typeof opened === 'string' ? { plain: Buffer.from(opened, 'utf8'), reseal: false } : { plain: Buffer.from(opened.text, 'utf8'), reseal: opened.reseal };
      } catch (error) {
        // A store whose key no holder here gives: refused, and kept as it is (store-envelope.ts).
        if (error instanceof LatchkeyError) throw error;
        if (!(error instanceof CipherUnavailable)) return null;
        const wait = unavailableRetries[attempt];
        if (wait === undefined) throw error;
        this.#logger.info('the keychain is not available yet; asking again', { attempt: attempt + 1 });
        await new Promise<void>((resolve) => this.#clock.setTimer(wait, resolve, 'keychain retry'));
      }
    }
  }

  /** Reads the store; a missing file is empty, a corrupt one is set aside and reported. */
  load(): Promise<VaultLoad> {
    return enqueue(this.path, async () => {
      try {
        return await this.#load();
      } catch (error) {
        if (error instanceof CipherUnavailable) {
          throw new LatchkeyError('store_failed', `The OS keychain did not answer, so the session store ${this.path} cannot be read now; it is kept as it is.`, {
            hint: 'Unlock the keychain (or log in to the desktop session), then start Latchkey again.',
          });
        }
        throw storeFailed('read', this.path, error);
      }
    });
  }

  /** Replaces the stored sessions atomically. Sessions that do not match the Session shape are a TypeError. */
  async save(sessions: VaultContents): Promise<void> {
    // Serialised now, so a caller changing its objects after the call cannot change what is written.
    const text = serialise(sessions);
    await enqueue(this.path, async () => {
      try {
        await this.#write(text);
      } catch (error) {
        throw storeFailed('write', this.path, error);
      }
    });
  }

  async #load(): Promise<VaultLoad> {
    if (!(await this.#checkFolder(false))) return { sessions: {} };
    await this.#removeStaleTempFiles();
    const bytes = await this.#read();
    if (bytes === null) return { sessions: {} };
    const opened = await this.#decrypt(bytes);
    const parsed = opened === null ? { ok: false as const, reason: 'undecryptable' as const } : parseStore(opened.plain);
    if (parsed.ok) {
      // The keychain rotated its key, or has a better one: the store is sealed again with it now.
      if (opened?.reseal === true) await this.#write(serialise(parsed.sessions));
      return { sessions: parsed.sessions };
    }
    const setAsidePath = await this.#setAside();
    // Only the path and the reason category: the content (and zod's messages about it) may hold secrets.
    this.#logger.warn('session store could not be read; set it aside and started empty', {
      path: this.path,
      setAsidePath,
      reason: parsed.reason,
    });
    return { sessions: {}, corrupt: { setAsidePath } };
  }

  async #write(text: string): Promise<void> {
    await this.#checkFolder(true);
    const stat = await lstatOrNull(this.path);
    if (stat?.isSymbolicLink()) throw symlinkRefusal(this.path);
    if (stat !== null && !stat.isFile()) throw new LatchkeyError('store_failed', `The session store ${this.path} is not a regular file.`);
    // A temporary file beside the store (created with this mode, so the umask cannot widen it),
    // written whole and fsynced, then renamed over it: a crash or a full disk leaves the old file
    // or the new one (core/atomic-write.ts).
    await writeFileAtomic(this.path, this.#cipher ? await this.#cipher.seal(text) : text, fileMode);
    await syncFolder(this.#folder);
  }

  /** Ensures the folder is a real folder at 0700; false when it is missing and `create` is off. */
  async #checkFolder(create: boolean): Promise<boolean> {
    let stat = await lstatOrNull(this.#folder);
    if (stat === null) {
      if (!create) return false;
      await mkdir(this.#folder, { recursive: true, mode: folderMode });
      stat = await lstat(this.#folder);
    }
    if (stat.isSymbolicLink()) throw symlinkRefusal(this.#folder);
    if (!stat.isDirectory()) throw new LatchkeyError('store_failed', `The session store folder ${this.#folder} is not a folder.`);
    // mkdir's mode passes through the umask, and an existing folder may have been loosened: set it exactly.
    if ((stat.mode & 0o777) !== folderMode) await chmod(this.#folder, folderMode);
    return true;
  }

  async #removeStaleTempFiles(): Promise<void> {
    const base = basename(this.path);
    const stale = (await readdir(this.#folder)).filter(
      (name) => name.startsWith(base) && tempSuffix.test(name.slice(base.length)),
    );
    for (const name of stale) {
      await unlink(join(this.#folder, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    if (stale.length > 0) this.#logger.info('removed temporary session files left by an interrupted write', { count: stale.length });
  }

  /** The store's bytes, or null when there is no store. */
  async #read(): Promise<Buffer | null> {
    const stat = await lstatOrNull(this.path);
    if (stat === null) return null;
    if (stat.isSymbolicLink()) throw symlinkRefusal(this.path);
    // O_NOFOLLOW closes the gap between the lstat and the open (it is 0 on Windows, which has no such flag).
    let handle;
    try {
      handle = await open(this.path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw symlinkRefusal(this.path);
      throw error;
    }
    try {
      const opened = await handle.stat();
      if (!opened.isFile()) throw new LatchkeyError('store_failed', `The session store ${this.path} is not a regular file.`);
      if ((opened.mode & 0o777) !== fileMode) await handle.chmod(fileMode);
      return await handle.read();
    } finally {
      await handle.close();
    }
  }

  /** Moves the store to a fresh `<path>.corrupt-<timestamp>` name and returns that name. */
  async #setAside(): Promise<string> {
    const stamp = new Date(this.#clock.now()).toISOString().replace(/[-:.]/g, '');
    let target = `${this.path}.corrupt-${stamp}`;
    for (let n = 2; (await lstatOrNull(target)) !== null; n++) target = `${this.path}.corrupt-${stamp}-${n}`;
    await rename(this.path, target);
    await chmod(target, fileMode);
    return target;
  }
}

function serialise(sessions: VaultContents): string {
  const parsed = storeSchema.safeParse({ version: 1, sessions });
  if (!parsed.success) {
    // Paths name site ids and fields only; zod's messages are left out as they may describe values.
    const where = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new TypeError(`Sessions to save do not match the Session shape (at ${where}).`);
  }
  return JSON.stringify(parsed.data, null, 2) + '\n';
}

// rename(2) is atomic but only durable once the folder entry reaches the disk, which takes an fsync
// of the folder itself. Some platforms (Windows) and file systems refuse to open or sync a folder;
// there the rename is still atomic, only less durable on power loss, so the failure is ignored.
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // See above: durability is best effort here, atomicity does not depend on it.
  }
}
