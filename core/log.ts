import { createWriteStream, mkdirSync } from 'node:fs';
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

/**
 * A sink that appends lines to a file, creating its folder (0700) and the file (0600). Writes are
 * buffered by a stream, not synchronous: the agent logs on its hot path, where a synchronous
 * write per line would cost more than answering the request. `flush()` resolves once every line
 * written before it is in the file.
 */
export function fileSink(path: string): LogSink & { flush(): Promise<void> } {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
  // A full disk or a removed folder must not take the process down with it.
  stream.on('error', () => undefined);
  const sink = (line: string): void => {
    stream.write(line + '\n');
  };
  // A stream writes in order: the callback of an empty write comes once all before it is written.
  return Object.assign(sink, { flush: () => new Promise<void>((resolve) => stream.write('', () => resolve())) });
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
