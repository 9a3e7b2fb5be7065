// The `latchkey` command: bin/latchkey.js runs the build of this file (dist/bin/latchkey.cjs, made by build-cli.ts).
import { processDeps } from './deps.ts';
import { runLatchkey } from './dispatch.ts';
import { exitCodeFor, exitCodes } from './exit-codes.ts';
import { Interrupted } from './interrupted.ts';
import { printError } from './print-error.ts';

// A repeat of a signal within this time is not a second one: a library that cleans up on a signal
// may send the same signal again once it is done.
const repeatGraceMs = 300;

/**
 * Runs `latchkey` with the process's arguments and sets `process.exitCode`. Ctrl-C and SIGTERM
 * abort what the command waits for (it then exits 130, or closes cleanly for `agent` and `demo`);
 * a second one ends the process at once. A reader that goes away (`latchkey sites | head -1`)
 * ends the command as SIGPIPE would, exit 141, through the same interrupt, so a wait stops and an
 * agent closes cleanly; nothing more is said, there is nobody to read it.
 */
export async function main(args: readonly string[] = process.argv.slice(2)): Promise<void> {
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
  let brokenPipe = false;
  const onBrokenPipe = (): void => {
    brokenPipe = true;
    if (!interrupt.signal.aborted) interrupt.abort(new Interrupted('SIGPIPE'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const deps = processDeps(interrupt.signal, onBrokenPipe);
  let code: number;
  try {
    code = await runLatchkey(args, deps);
  } catch (error) {
    if (!brokenPipe) printError(error, deps.stderr);
    code = exitCodeFor(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  process.exitCode = brokenPipe ? exitCodes.brokenPipe : code;
}
