import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a secret the lab handed out (a session id, a token, a key) to
 * `$LATCHKEY_TEST_RUN_DIR/secrets.txt` when that is set, so the test runner can search every log
 * of the run for it.
 */
export function recordIssuedSecret(value: string): void {
  const runDir = process.env['LATCHKEY_TEST_RUN_DIR'];
  if (runDir === undefined || runDir === '' || value === '') return;
  mkdirSync(runDir, { recursive: true });
  appendFileSync(join(runDir, 'secrets.txt'), value + '\n', { mode: 0o600 });
}
