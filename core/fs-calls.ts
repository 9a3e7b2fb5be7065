// The file calls of the engine, as promises over Node's callback API. Not node:fs/promises: loading
// it costs an idle agent some 3 MB of memory (`npm run bench` prints the agent's), a twentieth of
// its budget, for the same system calls.
import * as fs from 'node:fs';

type Done<T> = (error: NodeJS.ErrnoException | null, value: T) => void;

function call<T>(run: (done: Done<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));
}

const nothing = (run: (done: (error: NodeJS.ErrnoException | null) => void) => void): Promise<void> =>
  call<void>((done) => run((error) => done(error, undefined)));

export const lstat = (path: string): Promise<fs.Stats> => call((done) => fs.lstat(path, done));

/** lstat, or null when nothing is at `path`. */
export async function lstatOrNull(path: string): Promise<fs.Stats | null> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
export const chmod = (path: string, mode: number): Promise<void> => nothing((done) => fs.chmod(path, mode, done));
export const mkdir = (path: string, options: { recursive?: boolean; mode: number }): Promise<void> => nothing((done) => fs.mkdir(path, options, (error) => done(error)));
export const readdir = (path: string): Promise<string[]> => call((done) => fs.readdir(path, done));
export const rename = (from: string, to: string): Promise<void> => nothing((done) => fs.rename(from, to, done));
export const unlink = (path: string): Promise<void> => nothing((done) => fs.unlink(path, done));
export const link = (existing: string, path: string): Promise<void> => nothing((done) => fs.link(existing, path, done));
export const rm = (path: string, options: { recursive: boolean; force: boolean }): Promise<void> => nothing((done) => fs.rm(path, options, done));
export const readFile = (path: string): Promise<Buffer> => call((done) => fs.readFile(path, done));
export const writeFile = (path: string, data: string, options: { flag: string; mode: number }): Promise<void> => nothing((done) => fs.writeFile(path, data, options, done));

/** A file opened by descriptor, with the few calls the engine makes on one. */
export interface OpenFile {
  stat(): Promise<fs.Stats>;
  read(): Promise<Buffer>;
  chmod(mode: number): Promise<void>;
  /** Writes all of `data` from the start: a short write goes on until done, a full disk is an error. */
  writeAll(data: Buffer): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** Opens `path` with `flags` (numeric flags such as O_NOFOLLOW included). */
export async function open(path: string, flags: string | number, mode?: number): Promise<OpenFile> {
  const fd = await call<number>((done) => fs.open(path, flags, mode, done));
  return {
    stat: () => call((done) => fs.fstat(fd, done)),
    read: () => call((done) => fs.readFile(fd, done)),
    chmod: (newMode) => nothing((done) => fs.fchmod(fd, newMode, done)),
    writeAll: async (data) => {
      for (let offset = 0; offset < data.length; ) offset += await call<number>((done) => fs.write(fd, data, offset, data.length - offset, offset, done));
    },
    sync: () => nothing((done) => fs.fsync(fd, done)),
    close: () => nothing((done) => fs.close(fd, done)),
  };
}
