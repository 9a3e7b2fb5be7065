import { parseArgs } from 'node:util';
import type { CommandDeps } from './command-context.ts';
import { runGet } from './commands/get.ts';
import { runToken } from './commands/token.ts';
import { parseSeconds, sessionFlags, type SessionFlags } from './session-flags.ts';
import { sessionFormats, type SessionFormat } from './session-formats.ts';

// `latchkey token` and `latchkey get` run inside scripts, often once per request, so their
// start-up is most of their cost, and commander (with node:child_process, which it loads) was a
// large part of it (`npm run bench` measures the command against `node -e 0`). Their plain forms are read here with util.parseArgs and run the same functions the
// commander program runs; anything else (help, a mistake, an option they do not take, `--`) goes
// to the program, which gives the full help and the messages. test/cli/quick-verbs.test.ts holds
// the two to the same results.

const sessionOptions = { wait: { type: 'string' }, 'no-prompt': { type: 'boolean' } } as const;

interface QuickParse {
  site: string | null;
  flags: SessionFlags;
  values: Record<string, string | boolean | undefined>;
}

/** A quick verb ready to run with the process's deps. */
export type QuickCommand = (deps: CommandDeps) => Promise<number>;

function parsePlain(args: string[], options: Record<string, { type: 'string' | 'boolean' }>, env: NodeJS.ProcessEnv): QuickParse | null {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...sessionOptions, ...options }, allowPositionals: true, strict: true, tokens: true });
  } catch {
    return null; // an unknown option or a missing value: the program words the error
  }
  if (parsed.positionals.length > 1 || parsed.tokens.some((token) => token.kind === 'option-terminator')) return null;
  const { wait, 'no-prompt': noPrompt } = parsed.values as { wait?: string; 'no-prompt'?: boolean };
  const seconds = wait === undefined ? undefined : parseSeconds(wait);
  if (seconds === null) return null;
  return { site: parsed.positionals[0] ?? null, flags: sessionFlags({ wait: seconds, prompt: noPrompt !== true }, env), values: parsed.values };
}

const isFormat = (value: unknown): value is SessionFormat => (sessionFormats as readonly unknown[]).includes(value);

/** The quick verbs: each reads its arguments, or returns null to leave them to the program. */
const quickVerbs: Record<string, (args: string[], env: NodeJS.ProcessEnv) => QuickCommand | null> = {
  token: (args, env) => {
    const plain = parsePlain(args, {}, env);
    return plain && ((deps) => runToken({ site: plain.site, ...plain.flags }, deps));
  },
  get: (args, env) => {
    const plain = parsePlain(args, { format: { type: 'string' } }, env);
    const format = plain?.values['format'] ?? 'json';
    if (plain === null || !isFormat(format)) return null;
    return (deps) => runGet({ site: plain.site, format, ...plain.flags }, deps);
  },
};

/** The quick verb `argv` names in one of its plain forms, ready to run; null when the program must run it. */
export function quickCommand(argv: readonly string[], env: NodeJS.ProcessEnv): QuickCommand | null {
  const [verb, ...args] = argv.slice(2);
  const parse = verb !== undefined && Object.hasOwn(quickVerbs, verb) ? quickVerbs[verb] : undefined;
  return parse?.(args, env) ?? null;
}
