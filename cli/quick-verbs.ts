import type { CommandDeps } from './command-context.ts';
import { quickGet } from './commands/get.ts';
import { quickToken } from './commands/token.ts';

// `latchkey token` and `latchkey get` run inside scripts, often once per request, so their
// start-up is most of their cost, and commander (with node:child_process, which it loads) was a
// large part of it (`npm run bench` measures the command against `node -e 0`). Their plain forms
// are read with util.parseArgs (session-flags.ts) and run the same functions the commander
// program runs; anything else goes to the program, which gives the full help and the messages.
// test/cli/quick-verbs.test.ts holds the two to the same results.

/** A quick verb ready to run with the process's deps. */
export type QuickCommand = (deps: CommandDeps) => Promise<number>;

/** The quick verbs, each with its reader of the plain forms. */
const quickVerbs: Record<string, (args: string[], env: NodeJS.ProcessEnv) => QuickCommand | null> = {
  token: quickToken,
  get: quickGet,
};

/** The names of the quick verbs: bin/latchkey.js loads the quick build only for these. */
export const quickVerbNames: readonly string[] = Object.keys(quickVerbs);

/** The quick verb `argv` names in one of its plain forms, ready to run; null when the program must run it. */
export function quickCommand(argv: readonly string[], env: NodeJS.ProcessEnv): QuickCommand | null {
  const [verb, ...args] = argv.slice(2);
  const read = verb !== undefined && Object.hasOwn(quickVerbs, verb) ? quickVerbs[verb] : undefined;
  return read?.(args, env) ?? null;
}
