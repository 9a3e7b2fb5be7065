import type { CommandDeps } from './deps.ts';

/** What a shell completes for an operand or an option's value. */
export type Completion = 'sites' | 'presets' | 'fields' | 'files' | 'commands' | { choices: readonly string[] };

/** One option of a command. */
export interface OptionSpec {
  /** The long name, without dashes (`wait`, `no-prompt`). */
  name: string;
  short?: string;
  /** The value's placeholder in the help (`SECONDS`); absent for a flag. */
  value?: string;
  /** May be given more than once (each value is kept). */
  multiple?: boolean;
  description: string;
  complete?: Completion;
}

/** One operand of a command. */
export interface OperandSpec {
  /** As the help shows it: `SITE`, `URL`, `PATH`. */
  name: string;
  description: string;
  optional?: boolean;
  complete?: Completion;
}

/** A command line read against a command's spec. */
export interface ParsedArgs {
  /** Option values by long name: a string (or strings, for `multiple`) or `true` for a flag. */
  values: Readonly<Record<string, string | string[] | true | undefined>>;
  operands: readonly string[];
  /** What came after `--`, for a command that takes a command (`exec`); null when none did. */
  rest: readonly string[] | null;
}

/**
 * One verb of the command line: its arguments, its help, how it reads a parsed command line into
 * its options (throwing a usage error for a mistake) and how it runs. Each lives in
 * `cli/commands/<verb>.ts`; the verb list (cli/verbs.ts) loads it only when it runs.
 */
export interface Command<Options = unknown> {
  operands: readonly OperandSpec[];
  options: readonly OptionSpec[];
  /** `--` ends the options and what follows is a command to run (`exec`). */
  takesCommand?: boolean;
  /** Text after the options: formats, the JSON shape, the environment, exit codes. */
  details?: string;
  examples: readonly string[];
  read(args: ParsedArgs, env: NodeJS.ProcessEnv): Options;
  run(options: Options, deps: CommandDeps): Promise<number>;
}

/** Declares a command; the type of its options flows from `read` to `run`. */
export function defineCommand<Options>(command: Command<Options>): Command<Options> {
  return command;
}

/** The operand that names a site, as every site command takes it. */
export const siteOperand: OperandSpec = {
  name: 'SITE',
  description: 'id, name, host or URL (default: LATCHKEY_SITE, else the default site)',
  optional: true,
  complete: 'sites',
};
