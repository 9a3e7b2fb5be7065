import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../../../core/common/errors.ts';
import { createLogger, type Logger } from '../../../core/log.ts';
import { CipherUnavailable, FileVault } from '../../../core/sessions/file-vault.ts';
import type { VaultContents } from '../../../core/sessions/vault.ts';
import { makeSession } from './fixtures/make-session.ts';
import { ManualClock } from '../../support/manual-clock.ts';

const fixedClock = new ManualClock(Date.UTC(2025, 0, 2, 3, 4, 5, 678));
const secret = 'sk_live_Zq8vN3xQpL7rT2mW9yB4';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-file-vault-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function modeOf(path: string): Promise<number> {
  return (await lstat(path)).mode & 0o777;
}

function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ sinks: [(line) => lines.push(line)], level: 'debug' }), lines };
}

function contents(...siteIds: string[]): VaultContents {
  return Object.fromEntries(siteIds.map((id) => [id, makeSession(id)]));
}

describe('FileVault', () => {
  it('reports plaintext protection', () => {
    expect(new FileVault({ path: join(dir, 'sessions.json') }).protection).toBe('plaintext');
  });

  it('loads a missing store as empty without creating anything', async () => {
    const home = join(dir, 'home');
    const result = await new FileVault({ path: join(home, 'sessions.json') }).load();
    expect(result).toEqual({ sessions: {} });
    await expect(lstat(home)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reads back what it saved, through a fresh instance', async () => {
    const path = join(dir, 'home', 'sessions.json');
    const saved = contents('alpha', 'beta');
    await new FileVault({ path }).save(saved);
    const result = await new FileVault({ path }).load();
    expect(result).toEqual({ sessions: saved });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ version: 1, sessions: saved });
  });

  // 000 would widen modes taken from the umask; 277 would leave the folder unwritable (0500).
  it.each([0o000, 0o277])('creates the folder 0700 and the file 0600 when the umask is %o', async (umask) => {
    const home = join(dir, 'home');
    const path = join(home, 'sessions.json');
    const previous = process.umask(umask);
    try {
      await new FileVault({ path }).save(contents('alpha'));
      await new FileVault({ path }).save(contents('alpha', 'beta'));
    } finally {
      process.umask(previous);
    }
    expect(await modeOf(home)).toBe(0o700);
    expect(await modeOf(path)).toBe(0o600);
  });

  it('tightens an existing loose folder to 0700 on save', async () => {
    const home = join(dir, 'home');
    await mkdir(home);
    await chmod(home, 0o755);
    await new FileVault({ path: join(home, 'sessions.json') }).save(contents('alpha'));
    expect(await modeOf(home)).toBe(0o700);
  });

  it('tightens a loose folder and a loose store file on load', async () => {
    const home = join(dir, 'home');
    const path = join(home, 'sessions.json');
    await new FileVault({ path }).save(contents('alpha'));
    await chmod(home, 0o777);
    await chmod(path, 0o644);
    expect((await new FileVault({ path }).load()).sessions).toEqual(contents('alpha'));
    expect(await modeOf(home)).toBe(0o700);
    expect(await modeOf(path)).toBe(0o600);
  });

  it('refuses a symbolic link at the file path and leaves its target untouched', async () => {
    const home = join(dir, 'home');
    await mkdir(home, { mode: 0o700 });
    const target = join(dir, 'elsewhere.txt');
    await writeFile(target, 'do not touch');
    const path = join(home, 'sessions.json');
    await symlink(target, path);
    const vault = new FileVault({ path });

    const saving = await vault.save(contents('alpha')).catch((error: unknown) => error);
    expect(hasCode(saving, 'store_failed')).toBe(true);
    expect((saving as Error).message).toMatch(/symbolic link/);
    const loading = await vault.load().catch((error: unknown) => error);
    expect(hasCode(loading, 'store_failed')).toBe(true);
    expect(await readFile(target, 'utf8')).toBe('do not touch');
    expect((await lstat(path)).isSymbolicLink()).toBe(true);
  });

  it('refuses a symbolic link at the folder and writes nothing into its target', async () => {
    const realFolder = join(dir, 'real');
    await mkdir(realFolder, { mode: 0o755 });
    const linked = join(dir, 'home');
    await symlink(realFolder, linked);
    const vault = new FileVault({ path: join(linked, 'sessions.json') });

    const saving = await vault.save(contents('alpha')).catch((error: unknown) => error);
    expect(hasCode(saving, 'store_failed')).toBe(true);
    expect((saving as Error).message).toMatch(/symbolic link/);
    const loading = await vault.load().catch((error: unknown) => error);
    expect(hasCode(loading, 'store_failed')).toBe(true);
    expect(await readdir(realFolder)).toEqual([]);
    expect(await modeOf(realFolder)).toBe(0o755);
  });

  const corruptCases = [
    { name: 'JSON that does not parse', content: `{"version":1,"sessions":{"a":{"value":"${secret}"`, reason: 'not_json' },
    {
      name: 'valid JSON of the wrong shape',
      content: JSON.stringify({ version: 1, sessions: { a: { siteId: 'a', credential: { value: secret } } } }),
      reason: 'wrong_shape',
    },
    { name: 'an empty file', content: '', reason: 'empty' },
    { name: 'a session filed under another site id', content: JSON.stringify({ version: 1, sessions: { a: makeSession('b', { user: secret }) } }), reason: 'wrong_shape' },
    { name: 'a store from a newer version', content: JSON.stringify({ version: 2, sessions: { a: secret } }), reason: 'unsupported_version' },
  ];

  it.each(corruptCases)('sets aside $name, reports it and never logs its content', async ({ content, reason }) => {
    const home = join(dir, 'home');
    await mkdir(home, { mode: 0o700 });
    const path = join(home, 'sessions.json');
    await writeFile(path, content, { mode: 0o600 });
    const { logger, lines } = capturingLogger();

    const result = await new FileVault({ path, logger, clock: fixedClock }).load();

    const setAsidePath = `${path}.corrupt-20250102T030405678Z`;
    expect(result).toEqual({ sessions: {}, corrupt: { setAsidePath } });
    expect(await readFile(setAsidePath, 'utf8')).toBe(content);
    expect(await modeOf(setAsidePath)).toBe(0o600);
    await expect(lstat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    const warnings = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((r) => r.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ path, setAsidePath, reason });
    for (const line of lines) {
      expect(line).not.toContain(secret);
      expect(line).not.toContain('credential');
    }
    expect(await new FileVault({ path, clock: fixedClock }).load()).toEqual({ sessions: {} });
  });

  it('gives a second set-aside file in the same millisecond its own name', async () => {
    const path = join(dir, 'sessions.json');
    await writeFile(path, 'first', { mode: 0o600 });
    const first = await new FileVault({ path, clock: fixedClock }).load();
    await writeFile(path, 'second', { mode: 0o600 });
    const second = await new FileVault({ path, clock: fixedClock }).load();
    expect(first.corrupt?.setAsidePath).toBe(`${path}.corrupt-20250102T030405678Z`);
    expect(second.corrupt?.setAsidePath).toBe(`${path}.corrupt-20250102T030405678Z-2`);
    expect(await readFile(`${path}.corrupt-20250102T030405678Z`, 'utf8')).toBe('first');
    expect(await readFile(`${path}.corrupt-20250102T030405678Z-2`, 'utf8')).toBe('second');
  });

  it('removes only the temporary files the atomic writer leaves behind', async () => {
    const path = join(dir, 'sessions.json');
    await new FileVault({ path }).save(contents('alpha'));
    const stale = ['sessions.json.3735928559', 'sessions.json.42'];
    const kept = ['sessions.json.bak', 'sessions.json.12a', 'sessions.json.12345678901', 'other.json.123', 'sessions.json.corrupt-1'];
    for (const name of [...stale, ...kept]) await writeFile(join(dir, name), 'partial', { mode: 0o600 });

    const result = await new FileVault({ path }).load();

    expect(result).toEqual({ sessions: contents('alpha') });
    expect((await readdir(dir)).sort()).toEqual(['sessions.json', ...kept].sort());
  });

  it('serialises concurrent saves so the last one wins with one complete file', async () => {
    const path = join(dir, 'sessions.json');
    const vault = new FileVault({ path });
    const other = new FileVault({ path });
    const versions = Array.from({ length: 20 }, (_, i) =>
      Object.fromEntries(Array.from({ length: 30 }, (_, s) => [`site-${s}`, makeSession(`site-${s}`, { user: `v${i}`, obtainedAt: i })])),
    );

    await Promise.all(versions.map((version, i) => (i % 2 === 0 ? vault : other).save(version)));

    expect(await new FileVault({ path }).load()).toEqual({ sessions: versions.at(-1) });
    expect(await readdir(dir)).toEqual(['sessions.json']);
  });

  it('writes what was passed at the time of the call, not later changes', async () => {
    const path = join(dir, 'sessions.json');
    const sessions = contents('alpha');
    const saving = new FileVault({ path }).save(sessions);
    sessions.alpha = makeSession('alpha', { user: 'changed' });
    await saving;
    expect((await new FileVault({ path }).load()).sessions.alpha?.user).toBe('ada');
  });

  it('rejects sessions that do not match the Session shape without writing', async () => {
    const path = join(dir, 'sessions.json');
    const misfiled = { alpha: makeSession('beta') };
    await expect(new FileVault({ path }).save(misfiled)).rejects.toThrow(TypeError);
    await expect(lstat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('FileVault with a keychain cipher', () => {
  // A real cipher (AES-256-GCM) standing in for the OS keychain, which plain Node cannot reach.
  const cipherWith = (key: Buffer) => ({
    seal(text: string): Buffer {
      const iv = randomBytes(12);
      const aes = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([aes.update(text, 'utf8'), aes.final()]);
      return Buffer.concat([iv, aes.getAuthTag(), body]);
    },
    open(data: Buffer): string {
      const aes = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      aes.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([aes.update(data.subarray(28)), aes.final()]).toString('utf8');
    },
  });

  it('writes only ciphertext, reads it back, and says keychain', async () => {
    const cipher = cipherWith(randomBytes(32));
    const vault = new FileVault({ path: join(dir, "sessions.json"), cipher });
    const sessions = { alpha: makeSession('alpha', { user: 'cipher-user' }) };
    await vault.save(sessions);
    expect(vault.protection).toBe('keychain');
    expect((await readFile(join(dir, "sessions.json"))).toString('latin1')).not.toContain('cipher-user');
    expect((await new FileVault({ path: join(dir, "sessions.json"), cipher }).load()).sessions).toEqual(sessions);
  });

  it('sets aside a file another keychain sealed, as undecryptable', async () => {
    await new FileVault({ path: join(dir, "sessions.json"), cipher: cipherWith(randomBytes(32)) }).save({ alpha: makeSession('alpha') });
    const loaded = await new FileVault({ path: join(dir, "sessions.json"), cipher: cipherWith(randomBytes(32)) }).load();
    expect(loaded.sessions).toEqual({});
    expect(loaded.corrupt?.setAsidePath).toMatch(/sessions\.json\.corrupt-/);
  });

  it('asks a keychain that says "not now" again, with growing waits, and reads the store once it answers', async () => {
    const key = randomBytes(32);
    await new FileVault({ path: join(dir, 'sessions.json'), cipher: cipherWith(key) }).save({ alpha: makeSession('alpha') });
    const clock = new ManualClock();
    let refusals = 2;
    const waking = { seal: cipherWith(key).seal, open: async (data: Buffer) => {
      if (refusals-- > 0) throw new CipherUnavailable();
      return cipherWith(key).open(data);
    } };
    const loading = new FileVault({ path: join(dir, 'sessions.json'), cipher: waking, clock }).load();
    expect((await clock.whenTimer('keychain retry')).delay).toBe(1_000);
    clock.runTimer('keychain retry');
    expect((await clock.whenTimer('keychain retry')).delay).toBe(2_000);
    clock.runTimer('keychain retry');
    expect(Object.keys((await loading).sessions)).toEqual(['alpha']);
  });

  it('keeps the store, never set aside, when the keychain still cannot answer, and says why', async () => {
    const key = randomBytes(32);
    await new FileVault({ path: join(dir, 'sessions.json'), cipher: cipherWith(key) }).save({ alpha: makeSession('alpha') });
    const before = await readFile(join(dir, 'sessions.json'));
    const clock = new ManualClock();
    const locked = { seal: cipherWith(key).seal, open: async (): Promise<string> => { throw new CipherUnavailable(); } };
    const loading = new FileVault({ path: join(dir, 'sessions.json'), cipher: locked, clock }).load();
    for (let retry = 0; retry < 3; retry += 1) {
      await clock.whenTimer('keychain retry');
      clock.runTimer('keychain retry');
    }
    await expect(loading).rejects.toMatchObject({ code: 'store_failed', message: expect.stringContaining('OS keychain did not answer') });
    expect(await readFile(join(dir, 'sessions.json'))).toEqual(before);
    expect((await readdir(dir)).filter((name) => name.includes('corrupt'))).toEqual([]);
  });

  it('seals the store again when the keychain asks (a rotated key)', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    await new FileVault({ path: join(dir, 'sessions.json'), cipher: cipherWith(oldKey) }).save({ alpha: makeSession('alpha') });
    const rotating = {
      seal: cipherWith(newKey).seal,
      open: (data: Buffer) => ({ text: cipherWith(oldKey).open(data), reseal: true }),
    };
    expect(Object.keys((await new FileVault({ path: join(dir, 'sessions.json'), cipher: rotating }).load()).sessions)).toEqual(['alpha']);
    // Now sealed with the new key: the new key alone opens it.
    expect(Object.keys((await new FileVault({ path: join(dir, 'sessions.json'), cipher: cipherWith(newKey) }).load()).sessions)).toEqual(['alpha']);
  });
});
