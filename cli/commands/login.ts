import { secondsValue } from '../arguments.ts';
import { siteIdFor, siteRefFrom } from '../client/site-ref.ts';
import { defineCommand, siteOperand } from '../command.ts';
import { withAgent } from '../deps.ts';
import { exitCodes } from '../exit-codes.ts';
import { describeSession } from '../site-text.ts';

/** Options of `latchkey login`. */
export interface LoginOptions {
  site: string | null;
  /** Log in again even when the session is valid. */
  force: boolean;
  /** Seconds the login window may take; null: the agent's default (300). */
  timeout: number | null;
}

// A valid session answers at once; only a login that is really happening is announced.
const announceAfterMs = 400;

/** `latchkey login [SITE]`: logs in to a site in the login window, unless its session is valid (or `--force`). */
export const command = defineCommand<LoginOptions>({
  operands: [siteOperand],
  options: [
    { name: 'force', description: 'log in again even if the session is valid' },
    { name: 'timeout', value: 'SECONDS', description: 'how long the login may take (default 300)' },
  ],
  details: `Prints the site's session state (never its value) once logged in. Exit codes: 4 when the window
was closed, 124 when the login timed out, 1 when it failed (the reason is printed), 3 when no agent
is running.`,
  examples: ['latchkey login', 'latchkey login studio --force --timeout 120'],
  read: (args) => ({
    site: args.operands[0] ?? null,
    force: args.values['force'] === true,
    timeout: secondsValue(args.values['timeout'], 'timeout', 'login') ?? null,
  }),
  run: async (options, deps) => {
    const call = { signal: deps.signal };
    const site = await withAgent(deps, 'latchkey login', async (client) => {
      const id = await siteIdFor(client, siteRefFrom(options.site, deps.env), call);
      const announce = (): void => {
        deps.stderr.write(`Waiting for the login to ${id === 'default' ? 'the default site' : id} in the browser window…\n`);
      };
      const timer = options.force ? null : deps.clock.setTimer(announceAfterMs, announce, 'announce login');
      if (options.force) announce();
      try {
        return await client.call('login', { id, force: options.force, ...(options.timeout === null ? {} : { timeout: options.timeout }) }, call);
      } finally {
        timer?.cancel();
      }
    });
    deps.stdout.write(`${site.id}: ${describeSession(site, deps.clock.now())}\n`);
    return exitCodes.ok;
  },
});
