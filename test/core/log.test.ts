import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, fileSink, logLevelFrom } from '../../core/log.ts';

// The home's log: appended, rotated past its size with a few older files kept, at info level
// unless LATCHKEY_DEBUG=1.

const lineOf = (n: number): string => `line ${String(n).padStart(4, '0')} ${'x'.repeat(40)}`;

describe('the log file', () => {
  it('rotates past its size: the newest lines in latchkey.log, older ones in .1 and .2, nothing beyond', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'latchkey-log-')), 'logs', 'latchkey.log');
    const sink = fileSink(path, { maxBytes: 1_000, keep: 2 });
    for (let n = 0; n < 100; n++) sink(lineOf(n));
    await sink.flush();
    const files = [`${path}.2`, `${path}.1`, path];
    for (const file of files) expect(statSync(file).size).toBeLessThanOrEqual(1_000);
    expect(existsSync(`${path}.3`)).toBe(false);
    // What is kept is the end of what was written, in order, with no line lost or split between files.
    const kept = files.flatMap((file) => readFileSync(file, 'utf8').split('\n').filter((line) => line !== ''));
    const first = Number(kept[0]?.slice(5, 9));
    expect(kept).toEqual(Array.from({ length: 100 - first }, (_, i) => lineOf(first + i)));
    expect(kept.length).toBeGreaterThan(30);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('goes on from the size a file already has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-log-'));
    const path = join(dir, 'latchkey.log');
    writeFileSync(path, `${'y'.repeat(990)}\n`);
    const sink = fileSink(path, { maxBytes: 1_000, keep: 3 });
    sink(lineOf(1));
    await sink.flush();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(`${'y'.repeat(990)}\n`);
    expect(readFileSync(path, 'utf8')).toBe(`${lineOf(1)}\n`);
  });

  it('logs at debug level only with LATCHKEY_DEBUG=1', () => {
    expect([logLevelFrom({}), logLevelFrom({ LATCHKEY_DEBUG: '1' }), logLevelFrom({ LATCHKEY_DEBUG: 'yes' })]).toEqual(['info', 'debug', 'info']);
    const lines: string[] = [];
    createLogger({ sinks: [(line) => lines.push(line)], level: logLevelFrom({}) }).debug('hidden');
    createLogger({ sinks: [(line) => lines.push(line)], level: logLevelFrom({ LATCHKEY_DEBUG: '1' }) }).debug('shown');
    expect(lines.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual(['shown']);
  });
});
