import { Interrupted } from './cli-error.ts';
import { processDeps, type CommandContext } from './command-context.ts';
import { exitCodeFor, exitCodes } from './exit-codes.ts';
import { printError } from './print-error.ts';
import { quickCommand } from './quick-verbs.ts';

// A repeat of a signal within this time is not a second one: `when-exit` (loaded by `conf`)
// answers the first signal by sending the same signal to this process again.
const repeatGraceMs = 300;

/** Runs the commander program (cli/program.ts) on the context. */
export type ProgramRunner = (context: CommandContext) => Promise<void>;

/**
 * Runs `latchkey` with `process.argv` and sets `process.exitCode`: a plain `token` or `get`
 * (quick-verbs.ts) at once, anything else with `program`. Without a `program`, anything else
 * returns false having done nothing (bin/latchkey.js then loads the whole command line).
 */
export async function runCommandLine(program: ProgramRunner | null): Promise<boolean> {
  const quick = quickCommand(process.argv, process.env);
  if (quick === null && program === null) return false;

  // Ctrl-C and SIGTERM abort what the command waits for (it then exits 130, or closes cleanly for
  // `agent` and `demo`); a second one ends the process at once.
  const interrupt = new AbortController();
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
  // The reader of the output went away (`latchkey status | head -1`). Node reports EPIPE where a
  // process would get SIGPIPE: end as that would, exit 141, but through the interrupt, so that a
  // wait stops and an agent closes cleanly; nothing is said, there is nobody to read it.
  let brokenPipe = false;
  const onOutputError = (error: NodeJS.ErrnoException): void => {
    if (error.code !== 'EPIPE') throw error;
    brokenPipe = true;
    // Also here: the error may come after the command finished (a write fails a moment later).
    process.exitCode = exitCodes.brokenPipe;
    if (!interrupt.signal.aborted) interrupt.abort(new Interrupted('SIGPIPE'));
  };
  process.stdout.on('error', onOutputError);

  let exitCode: number = exitCodes.ok;
  const context: CommandContext = {
    deps: processDeps(interrupt.signal),
    argv: process.argv,
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  try {
    if (quick !== null) exitCode = await quick(context.deps);
    else await program?.(context);
    process.exitCode = brokenPipe ? exitCodes.brokenPipe : exitCode;
  } catch (error) {
    if (!brokenPipe) printError(error, process.stderr);
    process.exitCode = brokenPipe ? exitCodes.brokenPipe : exitCodeFor(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return true;
}
