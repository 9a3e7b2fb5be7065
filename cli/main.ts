import { CommanderError } from 'commander';
import { Interrupted } from './cli-error.ts';
import { processDeps, type CommandContext } from './command-context.ts';
import { exitCodeFor, exitCodes } from './exit-codes.ts';
import { printError } from './print-error.ts';
import { buildProgram } from './program.ts';

// Ctrl-C and SIGTERM abort what the command waits for (it then exits 130, or closes cleanly for
// `agent` and `demo`); a second one ends the process at once. A repeat within the grace period is
// not a second one: `when-exit` (loaded by `conf`) answers the first signal by sending the same
// signal to this process again.
const interrupt = new AbortController();
const repeatGraceMs = 300;
let firstSignalAt = 0;
const onSignal = (signal: NodeJS.Signals): void => {
  if (!interrupt.signal.aborted) {
    firstSignalAt = Date.now();
    interrupt.abort(new Interrupted(signal));
  } else if (Date.now() - firstSignalAt > repeatGraceMs) {
    process.exit(exitCodes.interrupted);
  }
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

let exitCode: number = exitCodes.ok;
const context: CommandContext = {
  deps: processDeps(interrupt.signal),
  argv: process.argv,
  setExitCode: (code) => {
    exitCode = code;
  },
};

try {
  await buildProgram(context).parseAsync(process.argv);
  process.exitCode = exitCode;
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are not errors; usage mistakes are exit code 2.
    process.exitCode = error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  } else {
    printError(error, process.stderr);
    process.exitCode = exitCodeFor(error);
  }
} finally {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}
