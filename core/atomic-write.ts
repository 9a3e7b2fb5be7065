import * as fs from 'node:fs';
import { randomInt } from 'node:crypto';
import { open, rename, rm } from './fs-calls.ts';

// An atomic replacement of a small file: a temporary file beside it (created with the mode, so
// the umask cannot widen it, and never through a link: O_EXCL), every byte written (a short write
// goes on until done, and a full disk is an error), fsynced, then renamed over the file in one
// step. A crash, a full or read-only disk leaves the old file or the new one, never a part.
// write-file-atomic, used before, writes once and takes a short write for done: on a full disk it
// renamed a truncated store over the good one (test/core/sessions/vault-disk-faults.test.ts).

/** The temporary file's name: the path and a decimal uint32, the shape the store's cleanup knows. */
function tempPath(path: string): string {
  return `${path}.${randomInt(0, 2 ** 32)}`;
}

function writeAllSync(fd: number, data: Buffer): void {
  for (let offset = 0; offset < data.length; ) offset += fs.writeSync(fd, data, offset, data.length - offset, offset);
}

/** Replaces `path` with `data` atomically, at `mode`; blocks until it is on disk. */
export function writeFileAtomicSync(path: string, data: string | Buffer, mode: number): void {
  const temp = tempPath(path);
  const fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode);
  try {
    fs.fchmodSync(fd, mode);
    writeAllSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(temp, path);
  } catch (error) {
    try {
      fs.closeSync(fd);
    } catch {
      // Closed already.
    }
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** Replaces `path` with `data` atomically, at `mode` (see above). */
export async function writeFileAtomic(path: string, data: string | Buffer, mode: number): Promise<void> {
  const temp = tempPath(path);
  const file = await open(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode);
  let closed = false;
  try {
    await file.chmod(mode);
    await file.writeAll(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    await file.sync();
    closed = true;
    await file.close();
    await rename(temp, path);
  } catch (error) {
    if (!closed) await file.close().catch(() => undefined);
    await rm(temp, { recursive: false, force: true }).catch(() => undefined);
    throw error;
  }
}
