// The `latchkey` command (bin/latchkey.js runs it from the build, or from here).
import { runCommandLine } from './run-command-line.ts';

// The program is loaded only when the command is not a quick verb: commander and the other verbs
// are most of what `latchkey token` would otherwise load.
await runCommandLine(async (context) => (await import('./program.ts')).runProgram(context));
