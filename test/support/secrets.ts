import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { registerSecret } from '../../core/secrets.ts';

/**
 * Registers a value the tests handle as a secret (an agent token, a fixture session): the logs
 * redact it, and it goes on the run's secrets list, so the test runner fails the run if any log
 * or any output holds it (test/run.ts).
 */
export function recordSecret(value: string): void {
  registerSecret(value);
  const runDir = process.env['LATCHKEY_TEST_RUN_DIR'];
  if (runDir === undefined || runDir === '') return;
  mkdirSync(runDir, { recursive: true });
  appendFileSync(join(runDir, 'secrets.txt'), value + '\n', { mode: 0o600 });
}
