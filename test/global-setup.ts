// Runs once before the test files: the CLI tests run the real `latchkey` (bin/latchkey.js), which
// runs the build of the command line, so the build is made from the sources under test. dist/ is
// not tracked: the tests leave the working tree as they found it.
import { buildCli } from '../build-cli.ts';

export default async function setup(): Promise<void> {
  await buildCli();
}
