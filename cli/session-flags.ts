import { InvalidArgumentError, type Command } from 'commander';
import { defaultWaitSeconds } from './client/get-session.ts';
import { promptAllowedBy } from './client/site-ref.ts';

/** How a session command may wait for a session. */
export interface SessionFlags {
  /** Seconds to wait for a renewal or a login. */
  wait: number;
  /** False: never a login window (`--no-prompt` or `LATCHKEY_NO_PROMPT=1`). */
  prompt: boolean;
}

/** A commander parser for whole seconds from 0 to `max` (the agent's own bound is 3600). */
export function secondsArgument(max = 3600): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim()) || Number(value) > max) throw new InvalidArgumentError(`expected whole seconds from 0 to ${max}.`);
    return Number(value);
  };
}

/** Adds `--wait S` and `--no-prompt` to a command that needs a session. */
export function addSessionFlags(command: Command): Command {
  return command
    .option('--wait <seconds>', `wait this long for a renewal or a login (0-3600)`, secondsArgument(), defaultWaitSeconds)
    .option('--no-prompt', 'never open a login window; exit 4 when a person would be needed (also LATCHKEY_NO_PROMPT=1)');
}

/** The flags as parsed, with `LATCHKEY_NO_PROMPT` applied. */
export function sessionFlags(raw: { wait?: number; prompt?: boolean }, env: NodeJS.ProcessEnv): SessionFlags {
  return { wait: raw.wait ?? defaultWaitSeconds, prompt: raw.prompt !== false && promptAllowedBy(env) };
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
