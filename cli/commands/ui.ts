import { spawn } from 'node:child_process';
import { defineCommand } from '../command.ts';
import { withAgent, type CommandDeps } from '../deps.ts';
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
async function runUi(options: UiOptions, deps: CommandDeps): Promise<number> {
  const ticket = await withAgent(deps, 'latchkey ui', (agent) => agent.uiTicket({ signal: deps.signal }));
  deps.stdout.write(`${ticket.url}\n`);
  if (options.open && !(await openInBrowser(ticket.url))) {
    deps.stderr.write('Could not start a browser: open the URL above yourself within a minute.\n');
  }
  return exitCodes.ok;
}

/** `latchkey ui`: opens the running agent's web UI with a one-time URL. */
export const command = defineCommand<UiOptions>({
  operands: [],
  options: [{ name: 'no-open', description: 'only print the one-time URL' }],
  details: 'The URL works once, for 60 seconds, from this machine only.',
  examples: ['latchkey ui', 'latchkey ui --no-open'],
  read: (args) => ({ open: args.values['no-open'] !== true }),
  run: runUi,
});
