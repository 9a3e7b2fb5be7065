// The quick build's entry (see build-cli.ts): bin/latchkey.js tries it first, since it needs only
// its own sources to be current, and loads the whole command line when it returns false.
import { runCommandLine } from './run-command-line.ts';

/** Runs a quick verb (`token`, `get` in their plain forms); false, having done nothing, for any other command. */
export const runQuick = (): Promise<boolean> => runCommandLine(null);
