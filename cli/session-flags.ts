import { secondsValue } from './arguments.ts';
import { defaultWaitSeconds } from './client/get-session.ts';
import { promptAllowedBy } from './client/site-ref.ts';
import type { OptionSpec, ParsedArgs } from './command.ts';
import { exitCodeHelp } from './exit-codes.ts';

/** How a session command may wait for a session. */
export interface SessionFlags {
  /** Seconds to wait for a renewal or a login. */
  wait: number;
  /** False: never a login window (`--no-prompt` or `LATCHKEY_NO_PROMPT=1`). */
  prompt: boolean;
}

/** `--wait S` and `--no-prompt`, which every command that needs a session takes. */
export const sessionOptions: readonly OptionSpec[] = [
  { name: 'wait', value: 'SECONDS', description: `wait this long for a renewal or a login (0-3600, default ${defaultWaitSeconds})` },
  { name: 'no-prompt', description: 'never open a login window; exit 4 when a person would be needed (also LATCHKEY_NO_PROMPT=1)' },
];

/** The session flags of a parsed command line, checked, with `LATCHKEY_NO_PROMPT` applied. */
export function readSessionFlags(args: ParsedArgs, env: NodeJS.ProcessEnv, path: string): SessionFlags {
  return {
    wait: secondsValue(args.values['wait'], 'wait', path) ?? defaultWaitSeconds,
    prompt: args.values['no-prompt'] !== true && promptAllowedBy(env),
  };
}

/** Help text shared by the session commands. */
export const sessionHelp = `Getting the session: a valid stored one is used at once; otherwise the agent renews it silently,
then (unless --no-prompt) opens the login window, waiting up to --wait seconds. While it waits,
progress goes to stderr; stdout holds only the result.

Environment:
  LATCHKEY_SITE         the SITE when none is given (else the default site)
  LATCHKEY_NO_PROMPT=1  as --no-prompt
  LATCHKEY_SESSION      use this session value instead of asking the agent (CI), for the site
                        LATCHKEY_SITE_URL names only; a command for another site asks the agent.
                        With it:
    LATCHKEY_SITE_URL      the site the session belongs to (required with LATCHKEY_SESSION)
    LATCHKEY_SESSION_KIND  cookie (default), bearer or key
    LATCHKEY_SESSION_NAME  the cookie's name (default _session_id), or the key's query
                           parameter (default SessionKey)
    LATCHKEY_COOKIE        the whole Cookie header to send (default NAME=VALUE)
  \`latchkey get --format env\` prints exactly these variables.

${exitCodeHelp}`;
