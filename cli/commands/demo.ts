import { LatchkeyError } from '../../core/common/errors.ts';
import { forDisplay } from '../../core/common/display-text.ts';
import { latchkeyHome } from '../../core/home.ts';
import type { AgentHost } from '../../core/agent/agent-host.ts';
import { getSession } from '../client/get-session.ts';
import { defineCommand } from '../command.ts';
import { stringValue } from '../arguments.ts';
import { untilAborted, type CommandDeps } from '../deps.ts';
import type { RegisteredDemoSite } from '../demo-sites.ts';
import { exitCodes } from '../exit-codes.ts';
import { shellQuote } from '../session-formats.ts';
import { localTime } from '../site-text.ts';
import { requestSite } from '../site-request.ts';
import { latchkeyVersion } from '../version.ts';

/** Options of `latchkey demo`. */
export interface DemoOptions {
  /** The lab's identity provider signs this account in by itself (no typing). */
  autoLogin: string | null;
  /** Keep the login window hidden (with --auto-login, for machines without a desktop). */
  headless: boolean;
}

/** The lab's sites as a table: name, URL, preset and what the session is. */
function siteTable(sites: RegisteredDemoSite[]): string {
  const nameWidth = Math.max(...sites.map((site) => site.name.length));
  const urlWidth = Math.max(...sites.map((site) => site.url.length));
  return sites.map((site) => `  ${site.name.padEnd(nameWidth)}  ${site.url.padEnd(urlWidth)}  ${site.preset}: ${site.credential}\n`).join('');
}

/** Commands to try from another terminal: each site's token and an API call, after an `export` of LATCHKEY_HOME when it is set. */
function tryLines(sites: RegisteredDemoSite[], home: string | undefined): string {
  const lines = home ? [`export LATCHKEY_HOME=${shellQuote(home)}`] : [];
  for (const site of sites) lines.push(`latchkey token ${site.name}`, `latchkey api ${site.name} /api/whoami`);
  lines.push('latchkey get demo-query --format json', 'latchkey status');
  return lines.map((line) => `  ${line}\n`).join('');
}

/**
 * The lab is a development tool: an installed package carries neither it nor its OpenID Provider
 * package, so the demo runs from a clone of the repository.
 */
function labMissing(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return error;
  return new LatchkeyError('not_installed', "The SSO lab is not installed: it comes with Latchkey's repository, not with the installed package.", {
    hint: 'In a clone of the repository: `npm ci`, then `npm run demo`. For a real site: `latchkey sites add https://SITE --preset shotgrid`.',
    cause: error,
  });
}

/**
 * Starts the SSO lab (on fixed ports, so the sites keep their URLs between runs) and an agent
 * with one site per login mode registered (`demo`, the default; `demo-cloud`, `demo-query`,
 * `demo-portal`), logs in to `demo` through the lab's identity provider in a real browser window,
 * shows the session at work against the site's API, and keeps serving (so other terminals can use
 * `latchkey token demo-cloud`; the other sites log in on first use) until Ctrl-C.
 */
async function runDemo(options: DemoOptions, deps: CommandDeps): Promise<number> {
  if (!options.headless && process.platform === 'linux' && !deps.env['DISPLAY'] && !deps.env['WAYLAND_DISPLAY']) {
    throw new LatchkeyError('browser_failed', 'The demo opens a login window, and this session has no desktop (DISPLAY is not set).', {
      hint: 'Run it from a desktop session, under `xvfb-run -a`, or without a window: `latchkey demo --auto-login ada --headless`.',
    });
  }
  const home = latchkeyHome(deps.env);
  // Loaded here: the lab (an OpenID Provider), the engine and the demo's sites are needed by no other command.
  const [{ startLab }, { startAgentHost }, demo, { keyringFor }] = await Promise.all([
    import('../../test/lab/lab.ts').catch((error: unknown) => {
      throw labMissing(error);
    }),
    import('../../core/agent/agent-host.ts'),
    import('../demo-sites.ts'),
    import('../../core/sessions/keyring-vault.ts'),
  ]);
  const ports = demo.demoLabPorts(deps.env);
  const lab = await startLab({ autoLogin: options.autoLogin, ports });
  let host: AgentHost | null = null;
  try {
    host = await startAgentHost({ home, version: latchkeyVersion, headless: options.headless, keyring: await keyringFor(deps.env) });
    const moved = demo.movedPorts(lab, ports);
    if (moved.length > 0) deps.stderr.write(`Ports in use, so these lab servers listen on other ports this time: ${moved.join(', ')}\n`);
    const sites = await demo.registerDemoSites(host.engine.handlers, demo.demoSites(lab));
    const [main] = sites;
    if (main === undefined) throw new TypeError('the demo has no sites');
    const [account] = lab.accounts.users;
    deps.stderr.write(`SSO lab: identity provider ${lab.idp.url}, site ${main.url} (registered as "${main.name}", id ${main.id})\n`);
    deps.stderr.write(
      options.autoLogin
        ? `The identity provider signs in ${options.autoLogin} by itself.\n`
        : `Log in in the window as ${account?.login} with the password ${account?.password}.\n`,
    );
    // Through the agent's socket, as every other client does.
    const grant = await getSession(main.id, {
      env: { ...deps.env, LATCHKEY_AGENT: host.server.discoveryPath },
      client: 'latchkey demo',
      wait: 300,
      prompt: true,
      signal: deps.signal,
    });
    const answer = await requestSite(new URL('/api/whoami', grant.siteUrl), { method: 'GET', headers: grant.headers, body: null, signal: deps.signal, proxy: null });
    deps.stdout.write(`Logged in to ${grant.siteUrl} as ${grant.user === null ? '(unknown user)' : forDisplay(grant.user)}.\n`);
    deps.stdout.write(`The session expires ${grant.expiresAt === null ? 'at an unknown time' : localTime(grant.expiresAt, deps.clock.now())}.\n`);
    deps.stdout.write(`The site's API answers GET /api/whoami with ${answer.status}: ${forDisplay(answer.body.toString('utf8'))}\n`);
    deps.stdout.write(
      `\nThe lab's sites, one per login mode ("${main.name}" is the default; the others log in on first use):\n` +
        siteTable(sites) +
        `\nThe agent keeps serving. In another terminal, try:\n` +
        tryLines(sites, deps.env['LATCHKEY_HOME']) +
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

/** `latchkey demo`: the SSO lab and an agent with the lab's sites registered. */
export const command = defineCommand<DemoOptions>({
  operands: [],
  options: [
    { name: 'auto-login', value: 'ACCOUNT', description: 'let the lab identity provider sign this account in by itself' },
    { name: 'headless', description: 'keep the login window hidden (use with --auto-login)' },
  ],
  details: `Registers one lab site per login mode (demo, the default; demo-cloud, demo-query and
demo-portal) and logs in to demo. The lab listens on 127.0.0.1, ports 27810-27815 when they are
free (LATCHKEY_DEMO_PORTS=N: N to N+5), so the sites keep their URLs between runs. Each run logs the demo sites out first: the lab
forgets its sessions when it stops.`,
  examples: ['latchkey demo', 'latchkey demo --auto-login ada --headless'],
  read: (args) => ({ autoLogin: stringValue(args.values['auto-login']) ?? null, headless: args.values['headless'] === true }),
  run: runDemo,
});
