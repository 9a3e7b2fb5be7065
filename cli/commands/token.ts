import { acquireSession } from '../acquire-session.ts';
import { defineCommand, siteOperand } from '../command.ts';
import { exitCodes } from '../exit-codes.ts';
import { readSessionFlags, sessionHelp, sessionOptions, type SessionFlags } from '../session-flags.ts';

/** Options of `latchkey token`. */
export interface TokenOptions extends SessionFlags {
  site: string | null;
}

/** `latchkey token [SITE]`: prints the bare primary credential (the session cookie's value, or the token), for `$(...)`. */
export const command = defineCommand<TokenOptions>({
  operands: [siteOperand],
  options: sessionOptions,
  details: sessionHelp,
  examples: [
    "printf 'Cookie: _session_id=%s\\n' \"$(latchkey token studio)\" | curl -fsS -H @- https://studio.example.com/api/whoami",
    'TOKEN=$(latchkey token --no-prompt) || echo "log in first: latchkey login"',
  ],
  read: (args, env) => ({ site: args.operands[0] ?? null, ...readSessionFlags(args, env, 'token') }),
  run: async (options, deps) => {
    const { session, agent } = await acquireSession(options.site, options, deps, 'token');
    agent?.client.close();
    deps.stdout.write(session.credential.value + '\n');
    return exitCodes.ok;
  },
});
