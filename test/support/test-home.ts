import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, fileSink, type Logger } from '../../core/log.ts';

/** A fresh Latchkey home for one test file, with its log file. */
export interface TestHome {
  dir: string;
  profilesDir: string;
  logger: Logger;
  /** The log file's text, once every line logged so far is in it. */
  readLog(): Promise<string>;
}

/**
 * Creates a home under the test run's folder (so the runner's secret scan reads its logs), or
 * under the system temp folder when a single file runs outside the runner.
 */
export function makeTestHome(label: string): TestHome {
  const parent = process.env['LATCHKEY_TEST_RUN_DIR'] ?? tmpdir();
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, `home-${label}-`));
  const logPath = join(dir, 'logs', 'latchkey.log');
  const sink = fileSink(logPath);
  const logger = createLogger({ sinks: [sink], level: 'debug' });
  return { dir, profilesDir: join(dir, 'profiles'), logger, readLog: async () => (await sink.flush(), readFileSync(logPath, 'utf8')) };
}
