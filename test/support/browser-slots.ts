import { mkdirSync, watch } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoginWindowFactory } from '../../core/login/login-window.ts';

/**
 * Browsers running at once across the whole test run (every worker process): two workers, each
 * holding at most two browsers at a time (a page under test and a login window), and three slots,
 * so one of them can always get its second and no hold-and-wait can lock the run.
 */
export const browserSlots = 3;

/** The folder of the run's slot files (set by the global setup; a folder of its own otherwise). */
function slotDir(): string {
  const dir = process.env['LATCHKEY_TEST_BROWSER_SLOTS'] ?? join(tmpdir(), `latchkey-browser-slots-${process.ppid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes a free slot (a file created exclusively, holding this pid), or frees one a dead process left; null when all are taken. */
async function tryTake(dir: string): Promise<string | null> {
  for (let slot = 0; slot < browserSlots; slot += 1) {
    const path = join(dir, `slot-${slot}`);
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(path, 'utf8').catch(() => ''));
      if (Number.isInteger(holder) && holder > 0 && !alive(holder)) await unlink(path).catch(() => undefined);
    }
  }
  return null;
}

/**
 * Waits for a browser slot (on the slot folder's change events, never a sleep) and resolves with
 * the function that gives it back.
 */
export async function takeBrowserSlot(): Promise<() => Promise<void>> {
  const dir = slotDir();
  // Watching first, then trying: a slot given back between the two is still seen.
  const changed = { count: 0, wake: (): void => undefined };
  const watcher = watch(dir, () => {
    changed.count += 1;
    changed.wake();
  });
  try {
    for (;;) {
      const seen = changed.count;
      const path = await tryTake(dir);
      if (path !== null) return () => unlink(path).catch(() => undefined);
      if (changed.count === seen) await new Promise<void>((resolve) => (changed.wake = resolve));
    }
  } finally {
    watcher.close();
  }
}

/** Login windows that each hold a browser slot while open. */
export function slottedWindows(inner: LoginWindowFactory): LoginWindowFactory {
  return {
    open: async (options) => {
      const giveBack = await takeBrowserSlot();
      try {
        const window = await inner.open(options);
        const close = window.close.bind(window);
        let closed = false;
        return Object.assign(window, {
          close: async () => {
            try {
              await close();
            } finally {
              if (!closed) {
                closed = true;
                await giveBack();
              }
            }
          },
        });
      } catch (error) {
        await giveBack();
        throw error;
      }
    },
    clearProfile: (profileId) => inner.clearProfile(profileId),
  };
}
