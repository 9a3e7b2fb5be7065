import { readArgs, suggestion, usageError } from './arguments.ts';
import type { CommandDeps } from './deps.ts';
import { exitCodes } from './exit-codes.ts';
import { latchkeyVersion } from './version.ts';
import { findVerb, verbs, type Verb } from './verbs.ts';

function unknownVerb(word: string, list: readonly Verb[], path: string): Error {
  const close = suggestion(word, list.map((verb) => verb.name));
  const where = path === '' ? '' : `${path} `;
  return usageError(`Unknown command \`latchkey ${where}${word}\`${close === null ? '' : ` (did you mean \`${where}${close}\`?)`}.`, path);
}

/** The verb `args` name and the arguments left for it, following groups (`sites add`). */
function resolveVerb(args: readonly string[]): { verb: Verb; path: string; rest: readonly string[] } | { group: Verb; path: string } {
  const [first, ...rest] = args;
  const verb = findVerb(verbs, first);
  if (verb === undefined) throw first === undefined ? usageError('No command given.', '') : unknownVerb(first, verbs, '');
  if (verb.verbs === undefined) return { verb, path: verb.name, rest };
  const [second, ...afterSecond] = rest;
  if (second === '--help' || second === '-h') return { group: verb, path: verb.name };
  const sub = findVerb(verb.verbs, second);
  if (sub !== undefined) return { verb: sub, path: `${verb.name} ${sub.name}`, rest: afterSecond };
  if (second !== undefined && !second.startsWith('-')) throw unknownVerb(second, verb.verbs, verb.name);
  const fallback = findVerb(verb.verbs, verb.defaultVerb);
  if (fallback === undefined) return { group: verb, path: verb.name };
  return { verb: fallback, path: `${verb.name} ${fallback.name}`, rest };
}

// Loaded only to print help: a command that runs never needs it.
const loadHelp = (): Promise<typeof import('./help.ts')> => import('./help.ts');

/**
 * Runs `latchkey ARGS` with `deps` and resolves to its exit code: the one entry and the one
 * argument reader of every verb, each verb's module loaded only when it runs. Failures are thrown
 * (main.ts prints them and maps their codes to exit codes).
 */
export async function runLatchkey(args: readonly string[], deps: CommandDeps): Promise<number> {
  const [first, second] = args;
  if (first === undefined || first === '--help' || first === '-h') {
    deps.stdout.write((await loadHelp()).topHelp(verbs));
    return exitCodes.ok;
  }
  if (first === '--version' || first === '-V') {
    deps.stdout.write(`${latchkeyVersion}\n`);
    return exitCodes.ok;
  }
  // `latchkey help sites add` is `latchkey sites add --help`.
  if (first === 'help') return runLatchkey(second === undefined ? ['--help'] : [...args.slice(1), '--help'], deps);
  const found = resolveVerb(args);
  if ('group' in found) {
    deps.stdout.write((await loadHelp()).groupHelp(found.path, found.group));
    return exitCodes.ok;
  }
  const { verb, path, rest } = found;
  if (verb.load === undefined) throw new TypeError(`verb ${path} has nothing to run`);
  const { command } = await verb.load();
  const parsed = readArgs(command, rest, path);
  if (parsed === 'help') {
    deps.stdout.write((await loadHelp()).commandHelp(path, verb.summary, command));
    return exitCodes.ok;
  }
  return command.run(command.read(parsed, deps.env), deps);
}
