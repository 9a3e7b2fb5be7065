import { parseArgs } from 'node:util';
import { LatchkeyError } from '../core/common/errors.ts';
import type { Command, OptionSpec, ParsedArgs } from './command.ts';

/** `--help` and `-h`, which every command takes. */
export const helpOption: OptionSpec = { name: 'help', short: 'h', description: 'show this help' };

/** A usage mistake in `latchkey <path>`, with the command's help as the hint (exit 2). */
export function usageError(message: string, path: string): LatchkeyError {
  return new LatchkeyError('usage', message, { hint: `Run \`latchkey ${path === '' ? '' : `${path} `}--help\`.` });
}

/** The number of single-character edits between `a` and `b` (for "did you mean"). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? Infinity;
}

/** The closest of `known` to a mistyped `word`, when one is close enough to suggest. */
export function suggestion(word: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= (best.length <= 3 ? 1 : 2) ? best : null;
}

/**
 * Reads `args` against a command's options and operands with Node's util.parseArgs, and words
 * every mistake for a person (exit 2). Returns 'help' when `--help` or `-h` is given.
 */
export function readArgs(command: Command<unknown>, args: readonly string[], path: string): ParsedArgs | 'help' {
  const specs = [...command.options, helpOption];
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  let head = [...args];
  let rest: string[] | null = null;
  if (command.takesCommand === true) {
    const dash = head.indexOf('--');
    if (dash >= 0) {
      rest = head.slice(dash + 1);
      head = head.slice(0, dash);
    }
  }
  const { tokens } = parseArgs({
    args: head,
    options: Object.fromEntries(specs.map((spec) => [spec.name, { type: spec.value === undefined ? 'boolean' : 'string', ...(spec.short ? { short: spec.short } : {}) }] as const)),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, string | string[] | true> = {};
  const operands: string[] = [];
  for (const token of tokens) {
    // After `--`, parseArgs reports every word as a positional: an operand, whatever it looks like.
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      operands.push(token.value);
      continue;
    }
    const spec = byName.get(token.name);
    if (spec === undefined) {
      const known = suggestion(token.rawName.startsWith('--') ? token.name : token.rawName, specs.map((candidate) => candidate.name));
      throw usageError(`Unknown option ${token.rawName}${known === null ? '' : ` (did you mean --${known}?)`}.`, path);
    }
    if (spec.value === undefined) {
      if (token.value !== undefined) throw usageError(`Option ${token.rawName} takes no value.`, path);
      values[spec.name] = true;
      continue;
    }
    // A value that looks like an option was most likely one: `--wait --no-prompt` forgot the value.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-') && token.value.length > 1)) {
      throw usageError(`Option ${token.rawName} needs a value (${spec.value}).`, path);
    }
    const previous = values[spec.name];
    if (spec.multiple === true) values[spec.name] = [...(Array.isArray(previous) ? previous : []), token.value];
    else if (previous !== undefined) throw usageError(`Option --${spec.name} is given more than once.`, path);
    else values[spec.name] = token.value;
  }
  if (values['help'] === true) return 'help';
  const required = command.operands.filter((operand) => operand.optional !== true).length;
  if (operands.length < required) {
    const missing = command.operands[operands.length];
    throw usageError(`Missing ${missing?.name ?? 'an operand'}.`, path);
  }
  if (operands.length > command.operands.length) {
    const extra = operands[command.operands.length] ?? '';
    throw usageError(
      command.operands.length === 0 ? `\`latchkey ${path}\` takes no operands, but got ${JSON.stringify(extra)}.` : `Unexpected operand ${JSON.stringify(extra)}.`,
      path,
    );
  }
  return { values, operands, rest };
}

/** A whole number of seconds from 0 to `max` (the agent's own bound is 3600), or a usage error naming the option. */
export function secondsValue(value: string | string[] | true | undefined, option: string, path: string, max = 3600): number | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value.trim() : '';
  if (/^\d+$/.test(text) && Number(text) <= max) return Number(text);
  throw usageError(`Option --${option} takes whole seconds from 0 to ${max}, not ${JSON.stringify(String(value))}.`, path);
}

/** A string option's value (the last one, for a repeated option), or undefined. */
export function stringValue(value: string | string[] | true | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.at(-1);
  return undefined;
}

/** A repeatable option's values, in order. */
export function listValue(value: string | string[] | true | undefined): string[] {
  if (Array.isArray(value)) return [...value];
  return typeof value === 'string' ? [value] : [];
}
