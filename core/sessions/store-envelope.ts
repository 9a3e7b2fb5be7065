import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { LatchkeyError } from '../common/errors.ts';
import type { Opened, VaultCipher } from './file-vault.ts';

// The sealed session store that both kinds of agent read (docs/ARCHITECTURE.md, "Sessions"): the
// sessions sealed with AES-256-GCM under one random key per store, and that key kept by each
// holder that has sealed the store: the OS keyring (the headless agent's; the item of the home),
// and the desktop app's safeStorage (the key sealed by it, in the file's header). Either agent
// opens what the other wrote, and keeps the other's holder when it writes: the key stays the same.
//
//   LKSEALED2\n <header: JSON on one line>\n <nonce: 12 bytes> <tag: 16 bytes> <ciphertext>
//
// The header is the cipher's additional data: changing a holder's entry breaks the seal. Stores
// of the first format (LKSEALED1\n nonce tag ciphertext) have the keyring as their only holder.

const magicV1 = Buffer.from('LKSEALED1\n', 'utf8');
const magicV2 = Buffer.from('LKSEALED2\n', 'utf8');
const maxHeaderBytes = 16 * 1024;

/** Who keeps a sealed store's key. */
export interface KeyHolders {
  /** The OS keyring's item for the home holds it. */
  keyring: boolean;
  /** The key sealed by the desktop app's safeStorage (base64), or null. */
  safeStorage: string | null;
}

const noHolders: KeyHolders = { keyring: false, safeStorage: null };

function startsWith(bytes: Buffer, magic: Buffer): boolean {
  return bytes.length >= magic.length && bytes.subarray(0, magic.length).equals(magic);
}

/** True when `bytes` are a sealed store, of either format (as opposed to the plaintext JSON of one). */
export function isSealed(bytes: Buffer): boolean {
  return startsWith(bytes, magicV1) || startsWith(bytes, magicV2);
}

/** A sealed store as read: who keeps its key, and how to open it with that key. */
export interface SealedStore {
  holders: KeyHolders;
  /** The store's text; throws when `key` is not its key, or the file was changed. */
  open(key: Buffer): string;
}

function parseHolders(text: string): KeyHolders {
  const raw = JSON.parse(text) as unknown;
  if (typeof raw !== 'object' || raw === null) throw new Error('the header is not an object');
  const { keyring, safeStorage } = raw as Record<string, unknown>;
  if (typeof keyring !== 'boolean' || !(safeStorage === null || (typeof safeStorage === 'string' && /^[A-Za-z0-9+/=]{1,8192}$/.test(safeStorage)))) {
    throw new Error('the header is not a list of key holders');
  }
  return { keyring, safeStorage };
}

function openBody(body: Buffer, key: Buffer, header: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, 12));
  decipher.setAuthTag(body.subarray(12, 28));
  if (header.length > 0) decipher.setAAD(header);
  return Buffer.concat([decipher.update(body.subarray(28)), decipher.final()]).toString('utf8');
}

/** Reads a sealed store's frame; throws when it is not one. */
export function readSealedStore(bytes: Buffer): SealedStore {
  if (startsWith(bytes, magicV1)) {
    const body = bytes.subarray(magicV1.length);
    return { holders: { keyring: true, safeStorage: null }, open: (key) => openBody(body, key, Buffer.alloc(0)) };
  }
  if (!startsWith(bytes, magicV2)) throw new Error('not a sealed store');
  const end = bytes.indexOf(0x0a, magicV2.length);
  if (end < 0 || end - magicV2.length > maxHeaderBytes) throw new Error('the header has no end');
  const header = bytes.subarray(magicV2.length, end);
  const holders = parseHolders(header.toString('utf8'));
  const body = bytes.subarray(end + 1);
  return { holders, open: (key) => openBody(body, key, header) };
}

/** Seals `text` under `key`, naming its holders in the header. */
export function sealStore(text: string, key: Buffer, holders: KeyHolders): Buffer {
  const header = Buffer.from(JSON.stringify({ keyring: holders.keyring, safeStorage: holders.safeStorage }), 'utf8');
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(header);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([magicV2, header, Buffer.from('\n'), nonce, cipher.getAuthTag(), body]);
}

/** A store key as its holders keep it in text: 32 bytes in base64url. */
export function keyText(key: Buffer): string {
  return key.toString('base64url');
}

/** The key a holder's text names, or null when the text is not one. */
export function keyFromText(text: string | null): Buffer | null {
  return text !== null && /^[A-Za-z0-9_-]{43}$/.test(text) ? Buffer.from(text, 'base64url') : null;
}

/** One keeper of store keys: the OS keyring, or safeStorage. */
export interface StoreKeyHolder {
  /** Its name in messages: "the OS keyring", "the desktop app's keychain". */
  readonly label: string;
  /**
   * The store's key as this holder keeps it, and whether it asks to keep it again (a keychain
   * that rotated its own key); null when it keeps none for this store. Throws CipherUnavailable
   * when it cannot answer now.
   */
  find(holders: KeyHolders): Promise<{ key: Buffer; again: boolean } | null>;
  /** Keeps `key`; returns the holders as they are then (unchanged when it could not). */
  keep(key: Buffer, holders: KeyHolders): Promise<KeyHolders>;
}

function describeHolders(holders: KeyHolders): string {
  const names = [holders.keyring ? 'the OS keyring' : null, holders.safeStorage !== null ? "the desktop app's keychain (safeStorage)" : null].filter((name) => name !== null);
  return names.length === 0 ? 'no holder' : names.join(' and ');
}

/**
 * The vault cipher of the shared store: opens a store with the first of `holders` that keeps its
 * key, and has every holder keep the key when it seals (so the other kind of agent can open it
 * next). A plaintext store (a headless agent without a keyring wrote it) is read as it is, and
 * sealed at the next save, under `initialKey` when given (the keyring's), else a new one.
 */
export function envelopeCipher(holders: readonly StoreKeyHolder[], options: { path: string; initialKey?: Buffer }): VaultCipher & { holders(): KeyHolders } {
  let key: Buffer | null = null;
  let kept: KeyHolders = noHolders;
  return {
    holders: () => kept,
    open: async (data): Promise<Opened> => {
      if (!isSealed(data)) {
        if (data[0] === 0x7b) return data.toString('utf8');
        throw new Error('neither a sealed store nor a plaintext one');
      }
      const store = readSealedStore(data);
      const found = [];
      for (const holder of holders) found.push(await holder.find(store.holders));
      const first = found.find((entry) => entry !== null);
      if (first !== undefined && first !== null) {
        // A key that does not open the store throws here: the vault sets the file aside.
        const text = store.open(first.key);
        key = first.key;
        kept = store.holders;
        // A holder that does not keep this key yet (the desktop app taking over a headless agent's
        // store), or asks to keep it again: the store is sealed again at once.
        const reseal = found.some((entry) => entry === null || entry.again || !entry.key.equals(first.key));
        return { text, reseal };
      }
      throw new LatchkeyError('store_failed', `The session store ${options.path} is sealed with a key that ${describeHolders(store.holders)} keeps, and none of them gives it here.`, {
        hint: store.holders.keyring
          ? 'Unlock your keyring (or start its service), then start Latchkey again; `latchkey reset` discards the stored sessions instead.'
          : 'The desktop app sealed it without the OS keyring: open it with the desktop app, or `latchkey reset` to discard the stored sessions.',
      });
    },
    seal: async (text) => {
      key ??= options.initialKey ?? randomBytes(32);
      for (const holder of holders) kept = await holder.keep(key, kept);
      return sealStore(text, key, kept);
    },
  };
}
