// Runs once before the test files. The CLI tests run the real `latchkey` (bin/latchkey.js), which
// runs the build of the command line, and the Node example imports the built client library
// (`latchkey/client`): both are built from the sources under test. dist/ is not tracked, so the
// tests leave the working tree as they found it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClientLibrary } from '../build-client.ts';
import { buildCli } from '../build-cli.ts';

/** Builds what the tests run: the command line and the client library. */
export async function buildForTests(): Promise<void> {
  await Promise.all([buildCli(), buildClientLibrary()]);
}

export default async function setup(): Promise<void> {
  // The browser slots of this run (test/support/browser-slots.ts), shared by every worker.
  process.env['LATCHKEY_TEST_BROWSER_SLOTS'] ??= mkdtempSync(join(process.env['LATCHKEY_TEST_RUN_DIR'] ?? tmpdir(), 'browser-slots-'));
  // test/repeat.ts builds once for runs that go on side by side: a build under a running suite would replace its files.
  if (process.env['LATCHKEY_TEST_PREBUILT'] === '1') return;
  await buildForTests();
}
