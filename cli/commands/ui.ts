import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { withAgent, type CommandContext, type CommandDeps } from '../command-context.ts';
import { exitCodes } from '../exit-codes.ts';

/** Options of `latchkey ui`. */
export interface UiOptions {
  /** Open the URL in the person's browser; false only prints it. */
  open: boolean;
}

/** The platform's "open this URL" command. */
function openerFor(platform: NodeJS.Platform): [string, string[]] {
  if (platform === 'darwin') return ['open', []];
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""']];
  return ['xdg-open', []];
}

/** Starts the person's browser on `url`; false when no opener could be started. */
function openInBrowser(url: string): Promise<boolean> {
  const [command, args] = openerFor(process.platform);
  return new Promise((resolve) => {
    const child = spawn(command, [...args, url], { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}

/**
 * Asks the running agent for a one-time URL of its web UI (valid 60 s, single use; the agent
 * trades it for a cookie bound to that browser) and opens it, or prints it with --no-open.
 */
export async function runUi(options: UiOptions, deps: CommandDeps): Promise<number> {
  const ticket = await withAgent(deps, 'latchkey ui', (agent) => agent.uiTicket({ signal: deps.signal }));
  deps.stdout.write(`${ticket.url}\n`);
  if (options.open && !(await openInBrowser(ticket.url))) {
    deps.stderr.write('Could not start a browser: open the URL above yourself within a minute.\n');
  }
  return exitCodes.ok;
}

/** Adds `latchkey ui` to the program. */
export function registerUi(program: Command, context: CommandContext): void {
  program
    .command('ui')
    .description("open the running agent's web UI in your browser (a one-time URL)")
    .option('--no-open', 'only print the one-time URL')
    .addHelpText('after', '\nThe URL works once, for 60 seconds, from this machine only.\n\nExamples:\n  latchkey ui\n  latchkey ui --no-open')
    .action(async (raw: { open?: boolean }) => {
      context.setExitCode(await runUi({ open: raw.open !== false }, context.deps));
    });
}
