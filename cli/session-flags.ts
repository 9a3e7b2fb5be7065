import type { Command } from 'commander';
import { parseArgs } from 'node:util';
import { defaultWaitSeconds } from './client/get-session.ts';
import { promptAllowedBy } from './client/site-ref.ts';

// No value from commander here: the session commands also run without it (quick-verbs.ts).

/** How a session command may wait for a session. */
export interface SessionFlags {
  /** Seconds to wait for a renewal or a login. */
  wait: number;
  /** False: never a login window (`--no-prompt` or `LATCHKEY_NO_PROMPT=1`). */
  prompt: boolean;
}

/** Whole seconds from 0 to `max` (the agent's own bound is 3600), or null for anything else. */
export function parseSeconds(value: string, max = 3600): number | null {
  const text = value.trim();
  return /^\d+$/.test(text) && Number(text) <= max ? Number(text) : null;
}

/**
 * The value of a seconds option of `command` (undefined when not given and without a default), or
 * commander's usage error naming the option (exit 2), worded as commander words its own.
 */
export function secondsOption(command: Command, name: string, max = 3600): number | undefined {
  const value: unknown = command.getOptionValue(name);
  if (value === undefined) return undefined;
  const seconds = parseSeconds(String(value), max);
  if (seconds !== null) return seconds;
  const flags = command.options.find((option) => option.attributeName() === name)?.flags ?? `--${name}`;
  return command.error(`error: option '${flags}' argument '${String(value)}' is invalid. expected whole seconds from 0 to ${max}.`, {
    code: 'commander.invalidArgument',
    exitCode: 2,
  });
}

/** Adds `--wait S` and `--no-prompt` to a command that needs a session; read them with sessionFlagsOf. */
export function addSessionFlags(command: Command): Command {
  return command
    .addOption(command.createOption('--wait <seconds>', 'wait this long for a renewal or a login (0-3600)').default(defaultWaitSeconds))
    .option('--no-prompt', 'never open a login window; exit 4 when a person would be needed (also LATCHKEY_NO_PROMPT=1)');
}

/** The session flags of a command set up by addSessionFlags, checked, with `LATCHKEY_NO_PROMPT` applied. */
export function sessionFlagsOf(command: Command, env: NodeJS.ProcessEnv): SessionFlags {
  return sessionFlags({ wait: secondsOption(command, 'wait'), prompt: command.getOptionValue('prompt') as boolean | undefined }, env);
}

/** The flags with their wait checked already, with `LATCHKEY_NO_PROMPT` applied. */
export function sessionFlags(raw: { wait?: number | undefined; prompt?: boolean | undefined }, env: NodeJS.ProcessEnv): SessionFlags {
  return { wait: raw.wait ?? defaultWaitSeconds, prompt: raw.prompt !== false && promptAllowedBy(env) };
}

/** A session command's arguments in a plain form: the site, the session flags, and its own options' values. */
export interface PlainSessionArgs {
  site: string | null;
  flags: SessionFlags;
  values: Record<string, string | boolean | undefined>;
}

/**
 * Reads `[SITE] [--wait S] [--no-prompt]` plus the command's own `options` with util.parseArgs,
 * for a quick verb (quick-verbs.ts); null for anything the commander program should read instead
 * (an unknown option, a missing value, `--`, a second operand, a bad --wait), so that help and
 * every message stay the program's.
 */
export function readPlainSessionArgs(args: string[], options: Record<string, { type: 'string' | 'boolean' }>, env: NodeJS.ProcessEnv): PlainSessionArgs | null {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { wait: { type: 'string' }, 'no-prompt': { type: 'boolean' }, ...options }, allowPositionals: true, strict: true, tokens: true });
  } catch {
    return null;
  }
  if (parsed.positionals.length > 1 || parsed.tokens.some((token) => token.kind === 'option-terminator')) return null;
  const { wait, 'no-prompt': noPrompt } = parsed.values as { wait?: string; 'no-prompt'?: boolean };
  const seconds = wait === undefined ? undefined : parseSeconds(wait);
  if (seconds === null) return null;
  return { site: parsed.positionals[0] ?? null, flags: sessionFlags({ wait: seconds, prompt: noPrompt !== true }, env), values: parsed.values };
}

/** Help text shared by the session commands. */
export const sessionHelp = `
Getting the session: a valid stored one is used at once; otherwise the agent renews it silently,
then (unless --no-prompt) opens the login window, waiting up to --wait seconds. While it waits,
progress goes to stderr; stdout holds only the result.

Environment:
  LATCHKEY_SITE         the SITE when none is given (else the default site)
  LATCHKEY_NO_PROMPT=1  as --no-prompt
  LATCHKEY_SESSION      use this session value instead of asking the agent (CI); SITE is then
                        ignored and the site is LATCHKEY_SITE_URL (needed by api, exec and
                        --format netscape). With it:
    LATCHKEY_SESSION_KIND  cookie (default), bearer or key
    LATCHKEY_SESSION_NAME  the cookie's name (default _session_id), or the key's query
                           parameter (default SessionKey)
    LATCHKEY_COOKIE        the whole Cookie header to send (default NAME=VALUE)
  \`latchkey get --format env\` prints exactly these variables.

Exit codes: 0 ok, 1 error, 2 usage, 3 agent not running, 4 login required (or cancelled),
5 refused by the agent, 124 login timed out, 130 interrupted.`;
