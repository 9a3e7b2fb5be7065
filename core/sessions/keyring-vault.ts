import { randomBytes } from 'node:crypto';
import { LatchkeyError } from '../common/errors.ts';
import { homeKey } from '../agent/runtime-dir.ts';
import { lstatOrNull, readFile } from '../fs-calls.ts';
import type { Logger } from '../log.ts';
import { FileVault } from './file-vault.ts';
import { envelopeCipher, isSealed, keyFromText, keyText, readSealedStore, type StoreKeyHolder } from './store-envelope.ts';

// The headless agent's session store (docs/ARCHITECTURE.md, "Sessions"): sealed with AES-256-GCM
// under a random key that the OS keyring holds (Secret Service on Linux, Keychain on macOS,
// Credential Manager on Windows, through @napi-rs/keyring). Where no keyring answers, the
// plaintext file as before, and `status` says so; never a silent step down from a sealed store.

/** The keyring item of one home's key: one per home, as a user may have several. */
export function keyringAccount(home: string): string {
  return `session-store-key:${homeKey(home)}`;
}

export const keyringService = 'Latchkey';

/** What the agent needs of a keyring: one secret, read and written. Throws when the keyring does not answer. */
export interface KeyringAccess {
  get(service: string, account: string): string | null;
  set(service: string, account: string, secret: string): void;
  /** Removes the secret; true when there was one. */
  delete(service: string, account: string): boolean;
}

// Run in a short-lived process of its own: the agent never loads the native library (some 2.5 MB
// of an idle agent, `npm run bench`), and a library that crashes takes only that process down.
// The secret travels on the pipes, never on a command line.
const keyringScript = `
const { Entry } = require(process.argv[1]);
const [op, service, account] = process.argv.slice(2);
let out;
try {
  // On Linux the Secret Service only: the library would otherwise fall back, without a word, to
  // the kernel's keyring, which forgets at logout.
  const entry = new Entry(service, account, { linux: { store: 'secret-service' } });
  if (op === 'get') out = { ok: true, value: entry.getPassword() ?? null };
  else if (op === 'delete') out = { ok: true, value: entry.deleteCredential() ? 'deleted' : null };
  else { entry.setPassword(require('node:fs').readFileSync(0, 'utf8')); out = { ok: true, value: null }; }
} catch (error) {
  out = { ok: false, error: String((error && error.message) || error).split('\\n')[0] };
}
process.stdout.write(JSON.stringify(out));
`;

/**
 * The OS keyring, through @napi-rs/keyring (Secret Service, Keychain, Credential Manager), asked in
 * a process of its own. A library that cannot be found or loaded is a keyring that does not answer.
 */
export async function osKeyring(): Promise<KeyringAccess> {
  let library: string;
  try {
    library = (process.getBuiltinModule('node:module') as typeof import('node:module')).createRequire(import.meta.url).resolve('@napi-rs/keyring');
  } catch {
    const missing = (): never => {
      throw new Error('the keyring library is not installed');
    };
    return { get: missing, set: missing, delete: missing };
  }
  const { spawnSync } = process.getBuiltinModule('node:child_process') as typeof import('node:child_process');
  const ask = (op: 'get' | 'set' | 'delete', service: string, account: string, input: string): string | null => {
    const child = spawnSync(process.execPath, ['-e', keyringScript, library, op, service, account], { input, encoding: 'utf8', timeout: 60_000, windowsHide: true });
    let answer: { ok: boolean; value?: string | null; error?: string };
    try {
      answer = JSON.parse(child.stdout) as typeof answer;
    } catch {
      throw new Error(`the keyring helper ended without an answer (${child.signal ?? `exit ${child.status}`})`);
    }
    if (!answer.ok) throw new Error(answer.error ?? 'the keyring refused');
    return answer.value ?? null;
  };
  return {
    get: (service, account) => ask('get', service, account, ''),
    set: (service, account, secret) => void ask('set', service, account, secret),
    delete: (service, account) => ask('delete', service, account, '') !== null,
  };
}

/**
 * The OS keyring in this process, for the desktop app's main process: it cannot start a plain
 * Node of its own (its run-as-node fuse is off). Loaded at first use.
 */
export function inProcessKeyring(): KeyringAccess {
  type Entry = { getPassword(): string | null | undefined; setPassword(secret: string): void; deleteCredential(): boolean };
  let library: { Entry: new (service: string, account: string, options: object) => Entry } | undefined;
  const entry = (service: string, account: string): Entry => {
    library ??= (process.getBuiltinModule('node:module') as typeof import('node:module')).createRequire(import.meta.url)('@napi-rs/keyring') as typeof library & object;
    // On Linux the Secret Service only, as in the helper process above.
    return new library.Entry(service, account, { linux: { store: 'secret-service' } });
  };
  return {
    get: (service, account) => entry(service, account).getPassword() ?? null,
    set: (service, account, secret) => entry(service, account).setPassword(secret),
    delete: (service, account) => entry(service, account).deleteCredential(),
  };
}

/** The keyring the environment allows: the OS keyring, or none with LATCHKEY_KEYRING=none. */
export async function keyringFor(env: NodeJS.ProcessEnv): Promise<KeyringAccess | null> {
  return env['LATCHKEY_KEYRING'] === 'none' ? null : osKeyring();
}

/**
 * The OS keyring as a holder of the shared store's key (store-envelope.ts): the item of the home
 * (keyringAccount). `known` is the key the caller read already; the keyring is asked only when the
 * key is not that one. A keyring that does not answer holds nothing here.
 */
export function keyringHolder(keyring: KeyringAccess, account: string, known: Buffer | null = null): StoreKeyHolder {
  let held = known;
  const read = (): Buffer | null => {
    try {
      held = keyFromText(keyring.get(keyringService, account));
    } catch {
      held = null;
    }
    return held;
  };
  return {
    label: 'the OS keyring',
    find: async (holders) => {
      if (!holders.keyring) return null;
      const key = held ?? read();
      return key === null ? null : { key, again: false };
    },
    keep: async (key, holders) => {
      if (holders.keyring && held?.equals(key)) return holders;
      try {
        if (!(held ?? read())?.equals(key)) keyring.set(keyringService, account, keyText(key));
        held = key;
        return { ...holders, keyring: true };
      } catch {
        return holders;
      }
    },
  };
}

/** The store file's bytes, or null when there is none. */
async function storeBytes(path: string): Promise<Buffer | null> {
  return (await lstatOrNull(path)) === null ? null : readFile(path);
}

/** True when a sealed store names the keyring as a holder of its key (a frame that cannot be read: taken to). */
function keptByKeyring(bytes: Buffer): boolean {
  try {
    return readSealedStore(bytes).holders.keyring;
  } catch {
    return true;
  }
}

/** The store sealed by the keyring's key (which a store of the desktop app's may hold too). */
function keyringVault(path: string, logger: Logger, keyring: KeyringAccess, account: string, key: Buffer): FileVault {
  return new FileVault({ path, logger, cipher: envelopeCipher([keyringHolder(keyring, account, key)], { path, initialKey: key }), protection: 'keyring' });
}

/** The headless agent's vault, and what `status` says of it. */
export interface HeadlessVault {
  vault: FileVault;
  note: string | null;
}

const plaintextNote =
  'No OS keyring answered (a Secret Service such as GNOME Keyring or KWallet on Linux, the Keychain on macOS, the Credential Manager on Windows): ' +
  'sessions are in a plaintext file that only you can read. Start and unlock a keyring, then restart the agent, to seal them.';

/**
 * Opens the store at `path` sealed by the keyring's key for `home` (made on first use). Without a
 * keyring: the plaintext file, shown as such; but a store that is sealed already is never opened
 * as plaintext nor overwritten: the agent refuses to start until the keyring answers again.
 */
export async function openHeadlessVault(options: { home: string; path: string; logger: Logger; keyring: KeyringAccess | null }): Promise<HeadlessVault> {
  const { home, path, logger, keyring } = options;
  const account = keyringAccount(home);
  const bytes = await storeBytes(path);
  const sealed = bytes !== null && isSealed(bytes);
  let stored: string | null = null;
  let unavailable: string | null = keyring === null ? 'turned off (LATCHKEY_KEYRING=none)' : null;
  if (keyring !== null) {
    try {
      stored = keyring.get(keyringService, account);
    } catch (error) {
      // The library's message names the platform store, never a secret.
      unavailable = error instanceof Error ? (error.message.split('\n')[0] ?? 'no answer') : 'no answer';
    }
  }
  const known = keyFromText(stored);
  if (known !== null && keyring !== null) return { vault: keyringVault(path, logger, keyring, account, known), note: null };
  if (sealed && !keptByKeyring(bytes)) {
    throw new LatchkeyError('store_failed', `The session store ${path} was sealed by the desktop app without the OS keyring, so this agent cannot open it.`, {
      hint: 'Open it with the desktop app (which keeps its key in the keyring where it reaches one), or `latchkey reset` to discard the stored sessions.',
    });
  }
  if (sealed) {
    // Never a new key over a sealed store, nor a step down to plaintext: the person decides.
    throw new LatchkeyError('store_failed', `The session store ${path} is sealed with a key that the keyring does not give (${unavailable ?? 'it has none for this home'}).`, {
      hint: 'Unlock your keyring (or start its service), then start the agent again; `latchkey reset` discards the stored sessions instead.',
    });
  }
  if (keyring !== null && unavailable === null) {
    const key = randomBytes(32);
    try {
      keyring.set(keyringService, account, keyText(key));
      logger.info('made a session store key in the keyring', {});
      return { vault: keyringVault(path, logger, keyring, account, key), note: null };
    } catch (error) {
      unavailable = error instanceof Error ? (error.message.split('\n')[0] ?? 'no answer') : 'no answer';
    }
  }
  logger.warn('no keyring: sessions are stored in plaintext', { reason: unavailable });
  return { vault: new FileVault({ path, logger }), note: plaintextNote };
}
