import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { homePaths, type HomePaths } from '../../core/home.ts';
import { createLogger, fileSink, type Logger } from '../../core/log.ts';

/** A fresh Latchkey home for one test file, with its log file. */
export interface TestHome {
  dir: string;
  /** Its places for this host (the host name of the machine the tests run on). */
  paths: HomePaths;
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
  const paths = homePaths(dir);
  const logPath = paths.log;
  const sink = fileSink(logPath);
  const logger = createLogger({ sinks: [sink], level: 'debug' });
  return { dir, paths, profilesDir: paths.profiles, logger, readLog: async () => (await sink.flush(), readFileSync(logPath, 'utf8')) };
}

/** A file of this host's folder in `home` (`hosts/<host>/<name>`), the folder made if missing. */
export function hostFile(home: string, name: string): string {
  const { hostDir } = homePaths(home);
  mkdirSync(hostDir, { recursive: true });
  return join(hostDir, name);
}
