import { Command, CommanderError } from 'commander';
import { registerDemo } from './commands/demo.ts';
import { exitCodeFor } from './exit-codes.ts';
import { printError } from './print-error.ts';
import { latchkeyVersion } from './version.ts';

/** Builds the `latchkey` command with every verb. */
export function buildProgram(): Command {
  const program = new Command('latchkey')
    .description('Log in once through single sign-on; hand the session to your scripts and tools.')
    .version(latchkeyVersion, '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  registerDemo(program);
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are not errors; usage mistakes are exit code 2.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    printError(error, process.stderr);
    process.exitCode = exitCodeFor(error);
  }
}
