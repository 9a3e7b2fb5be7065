import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileVault } from '../../../core/sessions/file-vault.ts';
import { makeSession } from './fixtures/make-session.ts';

// Faults of the disk under the session store, for real: a tiny tmpfs that fills up, then is made
// read-only. Mounting needs root with the right to mount (CAP_SYS_ADMIN); as root, chmod would not
// stop a write, so without a mount there is no real fault to make and the test says it skips.

let dir: string;
let mounted = false;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lk-disk-'));
  mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', dir]).status === 0;
  if (!mounted) console.log('SKIP the disk fault tests: this machine does not let the test mount a tmpfs (root with CAP_SYS_ADMIN)');
});

afterAll(() => {
  if (mounted) spawnSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
});

/** A session whose cookie is `size` bytes: enough of them fill the little disk. */
const big = (id: string, size: number) => makeSession(id, { credential: { kind: 'cookie', name: 'sid', value: 'x'.repeat(size) } });

describe('the session store on a disk that fails', () => {
  it('keeps the last good store when the disk is full, and says the write failed', async ({ skip }) => {
    if (!mounted) skip();
    const path = join(dir, 'store', 'sessions.json');
    const vault = new FileVault({ path });
    await vault.save({ alpha: makeSession('alpha') });
    const before = readFileSync(path);
    await expect(vault.save({ alpha: makeSession('alpha'), huge: big('huge', 200 * 1024) })).rejects.toMatchObject({ code: 'store_failed', message: expect.stringContaining('ENOSPC') });
    // The old store, whole; no half-written file beside it.
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(join(dir, 'store'))).toEqual(['sessions.json']);
    expect(Object.keys((await new FileVault({ path }).load()).sessions)).toEqual(['alpha']);
  });

  it('keeps the store when the disk turns read-only, says so, and reads it still', async ({ skip }) => {
    if (!mounted) skip();
    const path = join(dir, 'store', 'sessions.json');
    const vault = new FileVault({ path });
    await vault.save({ alpha: makeSession('alpha'), beta: makeSession('beta') });
    expect(spawnSync('mount', ['-o', 'remount,ro', dir]).status).toBe(0);
    try {
      await expect(vault.save({ alpha: makeSession('alpha') })).rejects.toMatchObject({ code: 'store_failed', message: expect.stringContaining('EROFS') });
      expect(Object.keys((await new FileVault({ path }).load()).sessions).sort()).toEqual(['alpha', 'beta']);
    } finally {
      spawnSync('mount', ['-o', 'remount,rw', dir]);
    }
  });
});
