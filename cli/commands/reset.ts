import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { homePaths, hostKey, hostName, latchkeyHome } from '../../core/home.ts';
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

// What Latchkey makes in a home, by name, and the prefixes of its temporary, corrupt and lock
// files. Only these are removed: LATCHKEY_HOME may name a folder that holds other things too
// (the desktop app's home is Electron's user-data folder), which stay. The top-level session,
// profile and agent files are those of homes from before hosts had folders.
const sharedEntries = new Set(['sites.json', 'sessions.json', 'sessions.sealed', 'agent.json', 'agent.lock', 'agent-start.lock', 'preferences.json', 'latchkey-agent-task.xml', 'logs', 'profiles', 'run', 'hosts']);
const sharedEntryPrefixes = ['sites.json.', 'sessions.json.', 'sessions.sealed.', 'agent.json.', 'agent.lock.', 'preferences.json.'];

/** What reset removed and left. */
export interface HomeRemoval {
  /** Entries of the home Latchkey did not make, left in place. */
  left: string[];
  /** Other hosts that share the home: their folders, and the site list they share, are kept. */
  otherHosts: string[];
}

function removeIfEmpty(path: string): void {
  if (existsSync(path) && readdirSync(path).length === 0) rmdirSync(path);
}

/**
 * Removes this host's folder of `home`; then, unless other hosts still have theirs, what Latchkey
 * made at the top of the home, and the home when nothing else is left.
 */
export function removeHomeEntries(home: string, host: string): HomeRemoval {
  rmSync(homePaths(home, host).hostDir, { recursive: true, force: true });
  rmSync(join(home, 'run', hostKey(host)), { recursive: true, force: true });
  removeIfEmpty(join(home, 'hosts'));
  removeIfEmpty(join(home, 'run'));
  const hosts = join(home, 'hosts');
  const otherHosts = existsSync(hosts) ? readdirSync(hosts).sort() : [];
  if (otherHosts.length > 0) return { left: [], otherHosts };
  for (const name of readdirSync(home)) {
    if (sharedEntries.has(name) || sharedEntryPrefixes.some((prefix) => name.startsWith(prefix))) rmSync(join(home, name), { recursive: true, force: true });
  }
  const left = readdirSync(home);
  if (left.length === 0) rmdirSync(home);
  return { left, otherHosts };
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
  // The session store's key, where the headless agent kept one (a keyring that does not answer holds none to remove).
  const { keyringAccount, keyringService, keyringFor } = await import('../../core/sessions/keyring-vault.ts');
  const keyring = await keyringFor(deps.env);
  let removedKey = false;
  try {
    removedKey = keyring?.delete(keyringService, keyringAccount(home)) ?? false;
  } catch {
    // No keyring: nothing of Latchkey's in it.
  }
  if (removedKey) deps.stdout.write(`Removed the session store's key from the keyring (${keyringService}, ${keyringAccount(home)}).\n`);
  if (existsSync(home)) {
    const host = hostName(deps.env);
    const { left, otherHosts } = removeHomeEntries(home, host);
    if (otherHosts.length > 0) {
      deps.stdout.write(
        `Removed this host's files (${host}) from ${home}. Other hosts share this home (${otherHosts.join(', ')}): ` +
          'their folders and the site list are kept; `latchkey reset` on each of them removes the rest.\n',
      );
    } else {
      deps.stdout.write(
        left.length === 0
          ? `Removed ${home}.\n`
          : `Removed Latchkey's files from ${home}; left what Latchkey did not make there: ${left.sort().join(', ')}.\n`,
      );
    }
  }
  deps.stdout.write('Latchkey keeps nothing else for this home. To remove the command too: npm uninstall --global latchkey.\n');
  return exitCodes.ok;
}

/** `latchkey reset [--yes]`. */
export const command = defineCommand<ResetOptions>({
  operands: [],
  options: [{ name: 'yes', short: 'y', description: 'remove without asking (needed without a terminal)' }],
  details: `Stops the agent serving LATCHKEY_HOME (or the app-data folder), removes the entry that starts it
at login (\`latchkey service\`), removes the session store's key from the OS keyring, and deletes
this machine's folder of the home (hosts/<host>: its sessions, login profiles and logs), then the
home itself with its site list, unless other machines that share the home still have folders there.
Only what Latchkey made is removed: anything else in that folder stays, and is listed.
The identity providers' own sessions are not ended: \`latchkey logout --all\` first for that.`,
  examples: ['latchkey reset', 'latchkey reset --yes'],
  read: (args) => ({ yes: args.values['yes'] === true }),
  run: runReset,
});
