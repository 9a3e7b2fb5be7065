import type { Command } from 'commander';
import { ChromiumLoginWindows } from '../../core/browser/chromium-login-window.ts';
import { LatchkeyError } from '../../core/errors.ts';
import { homePaths, latchkeyHome } from '../../core/home.ts';
import { createLogger, fileSink } from '../../core/log.ts';
import { FileVault } from '../../core/sessions/file-vault.ts';
import { SessionService } from '../../core/sessions/session-service.ts';
import { SessionStore } from '../../core/sessions/session-store.ts';
import { newSite } from '../../core/sites/new-site.ts';
import { requestLoopback, startLab } from '../../test/lab/lab.ts';

/** Options of `latchkey demo`. */
export interface DemoOptions {
  /** The lab's identity provider signs this account in by itself (no typing). */
  autoLogin: string | null;
  /** Keep the login window hidden (with --auto-login, for machines without a desktop). */
  headless: boolean;
}

/** What the command writes to. */
export interface DemoDeps {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/**
 * Starts the SSO lab, logs in to its ShotGrid-like site through its identity provider in a real
 * browser window, and shows the captured session at work against the site's API.
 */
export async function runDemo(options: DemoOptions, deps: DemoDeps): Promise<void> {
  if (!options.headless && process.platform === 'linux' && !deps.env['DISPLAY'] && !deps.env['WAYLAND_DISPLAY']) {
    throw new LatchkeyError('browser_failed', 'The demo opens a login window, and this session has no desktop (DISPLAY is not set).', {
      hint: 'Run it from a desktop session, under `xvfb-run -a`, or without a window: `npm run demo -- --auto-login ada --headless`.',
    });
  }
  const home = latchkeyHome(deps.env);
  const paths = homePaths(home);
  const logger = createLogger({ sinks: [fileSink(paths.log)] });
  const lab = await startLab({ autoLogin: options.autoLogin });
  const sessions = new SessionService({
    store: await SessionStore.open(new FileVault({ path: paths.sessions, logger }), logger),
    windows: new ChromiumLoginWindows({ profilesDir: paths.profiles, alwaysHidden: options.headless, logger }),
    logger,
  });
  try {
    const site = newSite({ url: lab.site.url, name: 'SSO lab studio', preset: 'shotgrid' }, []);
    const [account] = lab.accounts.users;
    deps.stderr.write(`SSO lab: identity provider ${lab.idp.url}, site ${lab.site.url}\n`);
    deps.stderr.write(
      options.autoLogin
        ? `The identity provider signs in ${options.autoLogin} by itself.\n`
        : `Log in in the window as ${account?.login} with the password ${account?.password}.\n`,
    );
    const grant = await sessions.acquire(site, { waitMs: 300_000, prompt: true, client: 'latchkey demo' });
    const answer = await requestLoopback(`${lab.site.url}/api/whoami`, { headers: grant.headers });
    deps.stdout.write(`Logged in to ${site.url} as ${grant.user ?? '(unknown user)'}.\n`);
    deps.stdout.write(`The session expires at ${grant.expiresAt ?? 'an unknown time'}.\n`);
    deps.stdout.write(`The site's API answers GET /api/whoami with ${answer.status}: ${answer.body}\n`);
  } finally {
    sessions.close();
    await lab.close();
  }
}

/** Adds `latchkey demo` to the program. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start the SSO lab and log in to its site through its identity provider')
    .option('--auto-login <account>', 'let the lab identity provider sign this account in by itself')
    .option('--headless', 'keep the login window hidden (use with --auto-login)')
    .addHelpText('after', '\nExamples:\n  latchkey demo\n  latchkey demo --auto-login ada --headless')
    .action(async (raw: { autoLogin?: string; headless?: boolean }) => {
      await runDemo(
        { autoLogin: raw.autoLogin ?? null, headless: raw.headless === true },
        { stdout: process.stdout, stderr: process.stderr, env: process.env },
      );
    });
}
