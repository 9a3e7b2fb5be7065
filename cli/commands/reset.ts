import { existsSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { latchkeyHome } from '../../core/home.ts';
import { usageError } from '../arguments.ts';
import { defineCommand } from '../command.ts';
import type { CommandDeps } from '../deps.ts';
import { exitCodes } from '../exit-codes.ts';
import { stopHomeAgent } from './agent-stop.ts';
import { removeServiceEntry } from './service.ts';

/** Options of `latchkey reset`. */
export interface ResetOptions {
  /** Remove without asking. */
  yes: boolean;
}

/** Asks on the terminal; anything but y or yes is no. */
async function confirm(question: string, deps: CommandDeps): Promise<boolean> {
  const reader = createInterface({ input: deps.stdin, output: process.stderr });
  try {
    const answer = await reader.question(question, { signal: deps.signal });
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    reader.close();
  }
}

/**
 * `latchkey reset`: removes everything Latchkey left for this home: stops its agent, removes the
 * entry that starts it at login, and deletes the home (sites, sessions, login profiles, logs).
 */
async function runReset(options: ResetOptions, deps: CommandDeps): Promise<number> {
  const home = latchkeyHome(deps.env);
  if (!options.yes) {
    if ((deps.stdin as { isTTY?: boolean }).isTTY !== true) throw usageError('Nobody is here to confirm: pass --yes to remove everything Latchkey keeps.', 'reset');
    const sure = await confirm(`Remove ${home} with every site, session, login profile and log, and the agent's start at login? [y/N] `, deps);
    if (!sure) {
      deps.stderr.write('Nothing was removed.\n');
      return exitCodes.error;
    }
  }
  const pid = await stopHomeAgent(deps);
  if (pid !== null) deps.stdout.write(`Stopped the Latchkey agent (pid ${pid}).\n`);
  const { entry, removed } = removeServiceEntry(deps, true);
  if (removed) deps.stdout.write(`Removed ${entry.kind}: ${entry.path}\n`);
  if (existsSync(home)) {
    rmSync(home, { recursive: true, force: true });
    deps.stdout.write(`Removed ${home}.\n`);
  }
  deps.stdout.write('Latchkey keeps nothing else for this home. To remove the command too: npm uninstall --global latchkey.\n');
  return exitCodes.ok;
}

/** `latchkey reset [--yes]`. */
export const command = defineCommand<ResetOptions>({
  operands: [],
  options: [{ name: 'yes', short: 'y', description: 'remove without asking (needed without a terminal)' }],
  details: `Stops the agent serving LATCHKEY_HOME (or the app-data folder), removes the entry that starts it
at login (\`latchkey service\`), and deletes the home: its sites, sessions, login profiles and logs.
The identity providers' own sessions are not ended: \`latchkey logout --all\` first for that.`,
  examples: ['latchkey reset', 'latchkey reset --yes'],
  read: (args) => ({ yes: args.values['yes'] === true }),
  run: runReset,
});
