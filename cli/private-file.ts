import { open } from 'node:fs/promises';

/**
 * Writes `text` to `path` readable and writable by its owner only (0600), whatever the umask:
 * the file is created with that mode and its mode set again, since an existing file keeps the one
 * it had. It is truncated only once its mode is private, so a credential is never readable by
 * others, not even for a moment.
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const handle = await open(path, 'a', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.truncate(0);
    await handle.write(text, 0, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}
