import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyringAccount, keyringHolder, keyringService } from '../../../core/sessions/keyring-vault.ts';
import { envelopeCipher, isSealed, readSealedStore, sealStore, type KeyHolders, type StoreKeyHolder } from '../../../core/sessions/store-envelope.ts';
import { memoryKeyring } from '../../support/memory-keyring.ts';

// The frame of the shared session store and its cipher, with holders in memory (the real keyring
// is in test/keyring/, the desktop app's safeStorage holder in test/electron/common/).

const key = Buffer.alloc(32, 7);
const text = '{"version":1,"sessions":{}}';

/** A frame of the first format: the keyring's key, no header. */
function firstFormat(plain: string, with_: Buffer): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', with_, nonce);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from('LKSEALED1\n'), nonce, cipher.getAuthTag(), body]);
}

/** A holder in memory that keeps one key under its own header entry (as safeStorage does). */
function memoryHolder(name: 'keyring' | 'safeStorage', held: { key: Buffer | null }): StoreKeyHolder & { keeps: number } {
  const holder = {
    label: name,
    keeps: 0,
    find: async (holders: KeyHolders) => ((name === 'keyring' ? holders.keyring : holders.safeStorage !== null) && held.key !== null ? { key: held.key, again: false } : null),
    keep: async (next: Buffer, holders: KeyHolders) => {
      holder.keeps += 1;
      held.key = next;
      return name === 'keyring' ? { ...holders, keyring: true } : { ...holders, safeStorage: Buffer.from(`wrapped ${next.toString('hex')}`).toString('base64') };
    },
  };
  return holder;
}

describe('the sealed store frame', () => {
  it('opens with its key only; a changed byte of the body or of the header is refused', () => {
    const sealed = sealStore(text, key, { keyring: true, safeStorage: 'QUJD' });
    expect(isSealed(sealed)).toBe(true);
    const store = readSealedStore(sealed);
    expect(store.holders).toEqual({ keyring: true, safeStorage: 'QUJD' });
    expect(store.open(key)).toBe(text);
    expect(() => store.open(Buffer.alloc(32, 8))).toThrow();
    const body = Buffer.from(sealed);
    body[body.length - 1] = (body[body.length - 1] ?? 0) ^ 1;
    expect(() => readSealedStore(body).open(key)).toThrow();
    // The header names the holders; another one there breaks the seal.
    const header = Buffer.from(sealed.toString('latin1').replace('"keyring":true', '"keyring":false'), 'latin1');
    expect(readSealedStore(header).holders.keyring).toBe(false);
    expect(() => readSealedStore(header).open(key)).toThrow();
    // A fresh nonce every time.
    expect(sealStore(text, key, { keyring: true, safeStorage: null }).equals(sealStore(text, key, { keyring: true, safeStorage: null }))).toBe(false);
  });

  it('reads the first format as a store the keyring keeps', () => {
    const old = firstFormat(text, key);
    expect(isSealed(old)).toBe(true);
    expect(readSealedStore(old).holders).toEqual({ keyring: true, safeStorage: null });
    expect(readSealedStore(old).open(key)).toBe(text);
  });

  it('refuses frames that are not stores: plaintext, garbage, a header without an end or of another shape', () => {
    expect(isSealed(Buffer.from(text))).toBe(false);
    for (const bad of ['garbage', 'LKSEALED2\n{"keyring":true,"safeStorage":null}', 'LKSEALED2\n{"keyring":"yes","safeStorage":null}\n', 'LKSEALED2\n[]\n', 'LKSEALED2\n{"keyring":true,"safeStorage":"<script>"}\n']) {
      expect(() => readSealedStore(Buffer.from(bad))).toThrow();
    }
  });
});

describe('the envelope cipher', () => {
  it('opens a store one holder sealed with another that also has the key, and has every holder keep it (sealed again at once)', async () => {
    const keyringKey = { key: null as Buffer | null };
    const safeKey = { key: null as Buffer | null };
    const headless = envelopeCipher([memoryHolder('keyring', keyringKey)], { path: '/s', initialKey: key });
    const first = await headless.seal(text);
    expect(readSealedStore(first).holders).toEqual({ keyring: true, safeStorage: null });
    const desktop = envelopeCipher([memoryHolder('safeStorage', safeKey), memoryHolder('keyring', keyringKey)], { path: '/s' });
    // The keyring gives the key; safeStorage keeps none yet: the store is to be sealed again.
    expect(await desktop.open(first)).toEqual({ text, reseal: true });
    const second = await desktop.seal(text);
    expect(readSealedStore(second).holders).toMatchObject({ keyring: true, safeStorage: expect.any(String) });
    expect(safeKey.key?.equals(key)).toBe(true);
    // The headless agent opens it, and keeps safeStorage's entry when it writes: the key is the same.
    const again = envelopeCipher([memoryHolder('keyring', keyringKey)], { path: '/s', initialKey: key });
    expect(await again.open(second)).toEqual({ text, reseal: false });
    const third = await again.seal('{"version":1,"sessions":{"a":1}}');
    expect(readSealedStore(third).holders).toEqual(readSealedStore(second).holders);
    // safeStorage alone opens that one.
    expect(await envelopeCipher([memoryHolder('safeStorage', safeKey)], { path: '/s' }).open(third)).toEqual({ text: '{"version":1,"sessions":{"a":1}}', reseal: false });
  });

  it('refuses, with the holders named, a store whose key no holder here gives', async () => {
    const sealed = sealStore(text, key, { keyring: false, safeStorage: 'QUJD' });
    const headless = envelopeCipher([memoryHolder('keyring', { key })], { path: '/home/s.json' });
    await expect(headless.open(sealed)).rejects.toMatchObject({
      code: 'store_failed',
      message: "The session store /home/s.json is sealed with a key that the desktop app's keychain (safeStorage) keeps, and none of them gives it here.",
      hint: expect.stringContaining('open it with the desktop app'),
    });
  });

  it('reads a plaintext store as it is, and seals the next save under the initial key', async () => {
    const cipher = envelopeCipher([memoryHolder('keyring', { key: null })], { path: '/s', initialKey: key });
    expect(await cipher.open(Buffer.from(text))).toBe(text);
    expect(readSealedStore(await cipher.seal(text)).open(key)).toBe(text);
    await expect(cipher.open(Buffer.from('garbage'))).rejects.toThrow();
  });
});

describe('the keyring as a holder', () => {
  it('keeps the key in the home item once, and gives it only for a store that names the keyring', async () => {
    const keyring = memoryKeyring();
    let sets = 0;
    const counting = { ...keyring, set: (service: string, account: string, secret: string) => ((sets += 1), keyring.set(service, account, secret)) };
    const holder = keyringHolder(counting, keyringAccount('/home/ada'));
    expect(await holder.find({ keyring: true, safeStorage: null })).toBeNull();
    const holders = await holder.keep(key, { keyring: false, safeStorage: 'QUJD' });
    expect(holders).toEqual({ keyring: true, safeStorage: 'QUJD' });
    expect(keyring.items.get(`${keyringService}/${keyringAccount('/home/ada')}`)).toBe(key.toString('base64url'));
    expect(await holder.keep(key, holders)).toBe(holders);
    expect(sets).toBe(1);
    expect((await holder.find(holders))?.key.equals(key)).toBe(true);
    expect(await holder.find({ keyring: false, safeStorage: 'QUJD' })).toBeNull();
  });

  it('a keyring that does not answer keeps nothing and gives nothing', async () => {
    const holder = keyringHolder(memoryKeyring(true), keyringAccount('/home/ada'));
    const holders = { keyring: false, safeStorage: 'QUJD' };
    expect(await holder.keep(key, holders)).toBe(holders);
    expect(await holder.find({ keyring: true, safeStorage: null })).toBeNull();
  });
});
