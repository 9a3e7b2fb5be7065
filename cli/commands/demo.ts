import type { Command } from 'commander';
import { LatchkeyError } from '../../core/errors.ts';
import { latchkeyHome } from '../../core/home.ts';
import type { Caller, OperationHandlers } from '../../core/operations/contract.ts';
import type { AgentHost } from '../agent-host.ts';
import { getSession } from '../client/get-session.ts';
import { untilAborted, type CommandContext, type CommandDeps } from '../command-context.ts';
import { exitCodes } from '../exit-codes.ts';
import { shellQuote } from '../session-formats.ts';
import { requestSite } from '../site-request.ts';
import { latchkeyVersion } from '../version.ts';

/** Options of `latchkey demo`. */
export interface DemoOptions {
  /** The lab's identity provider signs this account in by itself (no typing). */
  autoLogin: string | null;
  /** Keep the login window hidden (with --auto-login, for machines without a desktop). */
  headless: boolean;
}

/** The name the demo registers the lab's site under, so `latchkey token demo` finds it. */
export const demoSiteName = 'demo';

/**
 * Registers the lab's site as `demo` and makes it the default. The lab's ports can change between
 * runs, and a site's URL cannot be edited, so a `demo` site with another URL is replaced.
 */
async function registerDemoSite(handlers: OperationHandlers, url: string): Promise<string> {
  const caller: Caller = { client: 'latchkey demo' };
  const existing = (await handlers.listSites({}, caller)).find((site) => site.name === demoSiteName);
  if (existing !== undefined && existing.url === url) {
    await handlers.setDefaultSite({ id: existing.id }, caller);
    return existing.id;
  }
  if (existing !== undefined) await handlers.removeSite({ id: existing.id }, caller);
  return (await handlers.addSite({ url, name: demoSiteName, preset: 'shotgrid', default: true }, caller)).id;
}

/**
 * Starts the SSO lab and an agent with the lab's site registered as `demo`, logs in to it through
 * its identity provider in a real browser window, shows the session at work against the site's
 * API, and keeps serving (so other terminals can use `latchkey token demo`) until Ctrl-C.
 */
export async function runDemo(options: DemoOptions, deps: CommandDeps): Promise<number> {
  if (!options.headless && process.platform === 'linux' && !deps.env['DISPLAY'] && !deps.env['WAYLAND_DISPLAY']) {
    throw new LatchkeyError('browser_failed', 'The demo opens a login window, and this session has no desktop (DISPLAY is not set).', {
      hint: 'Run it from a desktop session, under `xvfb-run -a`, or without a window: `latchkey demo --auto-login ada --headless`.',
    });
  }
  const home = latchkeyHome(deps.env);
  // Loaded here: the lab (an OpenID Provider) and the engine are needed by no other command.
  const [{ startLab }, { startAgentHost }] = await Promise.all([import('../../test/lab/lab.ts'), import('../agent-host.ts')]);
  const lab = await startLab({ autoLogin: options.autoLogin });
  let host: AgentHost | null = null;
  try {
    host = await startAgentHost({ home, version: latchkeyVersion, headless: options.headless });
    const siteId = await registerDemoSite(host.engine.handlers, lab.site.url);
    const [account] = lab.accounts.users;
    deps.stderr.write(`SSO lab: identity provider ${lab.idp.url}, site ${lab.site.url} (registered as "${demoSiteName}", id ${siteId})\n`);
    deps.stderr.write(
      options.autoLogin
        ? `The identity provider signs in ${options.autoLogin} by itself.\n`
        : `Log in in the window as ${account?.login} with the password ${account?.password}.\n`,
    );
    // Through the agent's socket, as every other client does.
    const grant = await getSession(siteId, {
      env: { ...deps.env, LATCHKEY_AGENT: host.server.discoveryPath },
      client: 'latchkey demo',
      wait: 300,
      prompt: true,
      signal: deps.signal,
    });
    const answer = await requestSite(new URL('/api/whoami', grant.siteUrl), { method: 'GET', headers: grant.headers, body: null, signal: deps.signal });
    deps.stdout.write(`Logged in to ${grant.siteUrl} as ${grant.user ?? '(unknown user)'}.\n`);
    deps.stdout.write(`The session expires at ${grant.expiresAt ?? 'an unknown time'}.\n`);
    deps.stdout.write(`The site's API answers GET /api/whoami with ${answer.status}: ${answer.body.toString('utf8')}\n`);
    const prefix = deps.env['LATCHKEY_HOME'] ? `LATCHKEY_HOME=${shellQuote(deps.env['LATCHKEY_HOME'])} ` : '';
    deps.stdout.write(
      `\nThe agent keeps serving. In another terminal, try:\n` +
        `  ${prefix}latchkey token ${demoSiteName}\n` +
        `  ${prefix}latchkey api ${demoSiteName} /api/whoami\n` +
        `Press Ctrl-C to stop.\n`,
    );
    await untilAborted(deps.signal);
    deps.stderr.write('Stopping the demo…\n');
  } finally {
    await host?.close();
    await lab.close();
  }
  return exitCodes.ok;
}

/** Adds `latchkey demo` to the program. */
export function registerDemo(program: Command, context: CommandContext): void {
  program
    .command('demo')
    .description('start the SSO lab and an agent with its site registered as "demo", and log in to it')
    .option('--auto-login <account>', 'let the lab identity provider sign this account in by itself')
    .option('--headless', 'keep the login window hidden (use with --auto-login)')
    .addHelpText('after', '\nExamples:\n  latchkey demo\n  latchkey demo --auto-login ada --headless')
    .action(async (raw: { autoLogin?: string; headless?: boolean }) => {
      context.setExitCode(await runDemo({ autoLogin: raw.autoLogin ?? null, headless: raw.headless === true }, context.deps));
    });
}
