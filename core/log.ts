import { createWriteStream, fstatSync, mkdirSync, openSync, renameSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { redactSecrets } from './secrets.ts';

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Structured fields of a log line: names, ids, reasons and counts, never session values. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** A structured logger. Lines pass through the secret filter before they are written. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** Where log lines go. */
export type LogSink = (line: string) => void;

/** How large a log file grows before it is rotated, and how many rotated files are kept. */
export interface LogRotation {
  maxBytes: number;
  keep: number;
}

/** 5 MiB, and three older files (`latchkey.log.1` … `.3`): at most 20 MiB of logs. */
export const defaultRotation: LogRotation = { maxBytes: 5 * 1024 * 1024, keep: 3 };

/** The level a process logs at: `debug` with LATCHKEY_DEBUG=1 (still without secrets), else `info`. */
export function logLevelFrom(env: NodeJS.ProcessEnv): LogLevel {
  return env['LATCHKEY_DEBUG'] === '1' ? 'debug' : 'info';
}

/**
 * A sink that appends lines to a file, creating its folder (0700) and the file (0600), and rotates
 * it past `rotation.maxBytes` (`<path>.1` is the newest older file; the oldest beyond `keep` is
 * dropped). Writes are buffered by a stream, not synchronous: the agent logs on its hot path, where
 * a synchronous write per line would cost more than answering the request. `flush()` resolves
 * once every line written before it is in a file.
 */
export function fileSink(path: string, rotation: LogRotation = defaultRotation): LogSink & { flush(): Promise<void> } {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let size = 0;
  // Opened at once (a stream would open it later): a rotation renames the file this descriptor writes to.
  const open = (): WriteStream => {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'a', 0o600);
      size = fstatSync(fd).size;
    } catch {
      // Not writable now: the stream below reports to nobody, and the process goes on.
    }
    const opened = fd === undefined ? createWriteStream(path, { flags: 'a', mode: 0o600 }) : createWriteStream(path, { fd });
    // A full disk or a removed folder must not take the process down with it.
    opened.on('error', () => undefined);
    return opened;
  };
  let stream = open();
  // Streams ended by a rotation, until their last lines are written.
  let ending: Promise<void>[] = [];
  const rotate = (): void => {
    try {
      for (let n = rotation.keep - 1; n >= 1; n--) {
        try {
          renameSync(`${path}.${n}`, `${path}.${n + 1}`);
        } catch {
          // No such older file yet.
        }
      }
      // The old stream keeps its descriptor and writes its last lines into the renamed file.
      renameSync(path, `${path}.1`);
    } catch {
      // A file that cannot be renamed (held open elsewhere on Windows) keeps growing until the next try.
      size = 0;
      return;
    }
    const old = stream;
    ending.push(new Promise<void>((resolve) => old.end(() => resolve())));
    stream = open();
  };
  const sink = (line: string): void => {
    const bytes = Buffer.byteLength(line) + 1;
    if (size > 0 && size + bytes > rotation.maxBytes) rotate();
    stream.write(line + '\n');
    size += bytes;
  };
  // A stream writes in order: the callback of an empty write comes once all before it is written.
  const flush = async (): Promise<void> => {
    const ended = ending;
    ending = [];
    await Promise.all([...ended, new Promise<void>((resolve) => stream.write('', () => resolve()))]);
  };
  return Object.assign(sink, { flush });
}

/** A sink that writes lines to stderr. */
export const stderrSink: LogSink = (line) => process.stderr.write(line + '\n');

/** Creates a logger writing lines at or above `level` to every sink. */
export function createLogger(options: { sinks: LogSink[]; level?: LogLevel; fields?: LogFields }): Logger {
  const minimum = levelRank[options.level ?? 'info'];
  const base = options.fields ?? {};
  const write = (level: LogLevel, message: string, fields: LogFields | undefined): void => {
    if (levelRank[level] < minimum) return;
    const record = { time: new Date().toISOString(), level, message, ...base, ...fields };
    const line = redactSecrets(JSON.stringify(record));
    for (const sink of options.sinks) sink(line);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

/** A logger that drops everything (for callers that were given none). */
export const silentLogger: Logger = createLogger({ sinks: [] });
