import { secondsValue } from '../arguments.ts';
import { siteIdFor, siteRefFrom } from '../client/site-ref.ts';
import { defineCommand, siteOperand } from '../command.ts';
import { withAgent } from '../deps.ts';
import { exitCodes } from '../exit-codes.ts';
import { describeSession } from '../site-text.ts';
import { followLoginPrompts } from '../login-prompts.ts';
import { LatchkeyError } from '../../core/common/errors.ts';

/** Options of `latchkey login`. */
export interface LoginOptions {
  site: string | null;
  /** Log in again even when the session is valid. */
  force: boolean;
  /** Seconds the login window may take; null: the agent's default (300). */
  timeout: number | null;
  /** Log in this way instead of the site profile's: `system` (`--web`) or `device` (`--device`). */
  browser: 'system' | 'device' | null;
}

// A valid session answers at once; only a login that is really happening is announced.
const announceAfterMs = 400;

/** `latchkey login [SITE]`: logs in to a site in the login window, unless its session is valid (or `--force`). */
export const command = defineCommand<LoginOptions>({
  operands: [siteOperand],
  options: [
    { name: 'force', description: 'log in again even if the session is valid' },
    { name: 'timeout', value: 'SECONDS', description: 'how long the login may take (default 300)' },
    { name: 'web', description: 'log in in your own browser this time (oidc sites)' },
    { name: 'device', description: 'log in with a code typed on any device (oidc sites, no desktop needed)' },
  ],
  details: `Prints the site's session state (never its value) once logged in. A login in your own browser or
with a device code prints, on stderr, the page to open (and the code to type). Exit codes: 4 when
the window was closed or the login declined, 124 when the login timed out, 1 when it failed (the
reason is printed), 3 when no agent is running.`,
  examples: ['latchkey login', 'latchkey login studio --force --timeout 120', 'latchkey login cloud --device'],
  read: (args) => {
    if (args.values['web'] === true && args.values['device'] === true) throw new LatchkeyError('usage', 'Give --web or --device, not both.', { hint: 'Run `latchkey login --help`.' });
    return {
      site: args.operands[0] ?? null,
      force: args.values['force'] === true,
      timeout: secondsValue(args.values['timeout'], 'timeout', 'login') ?? null,
      browser: args.values['web'] === true ? 'system' : args.values['device'] === true ? 'device' : null,
    };
  },
  run: async (options, deps) => {
    const call = { signal: deps.signal };
    const site = await withAgent(deps, 'latchkey login', async (client) => {
      const id = await siteIdFor(client, siteRefFrom(options.site, deps.env), call);
      // The stream opened by the announcement, if it came (a callback's assignment is invisible to the narrowing below).
      const following: Array<Promise<() => void>> = [];
      const announce = (): void => {
        // Where the profile decides, the agent says where (a window opens, or a prompt follows).
        const how = options.browser === null ? '' : options.browser === 'system' ? ' in your browser' : ' with a device code';
        deps.stderr.write(`Waiting for the login to ${id === 'default' ? 'the default site' : id}${how}…\n`);
        // Opened only once a login is really under way; the agent sends a prompt made before it opened.
        following.push(followLoginPrompts(client, id, deps));
      };
      // Forced, or another way than the profile's: a login happens for sure, and its page must be shown at once.
      const now = options.force || options.browser !== null;
      const timer = now ? null : deps.clock.setTimer(announceAfterMs, announce, 'announce login');
      if (now) announce();
      try {
        return await client.call('login', {
          id,
          force: options.force,
          ...(options.timeout === null ? {} : { timeout: options.timeout }),
          ...(options.browser === null ? {} : { browser: options.browser }),
        }, call);
      } finally {
        timer?.cancel();
        for (const stop of following) (await stop)();
      }
    });
    deps.stdout.write(`${site.id}: ${describeSession(site, deps.clock.now())}\n`);
    return exitCodes.ok;
  },
});
