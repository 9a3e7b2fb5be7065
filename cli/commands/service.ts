import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LatchkeyError } from '../../core/common/errors.ts';
import { defineCommand, type Command, type OptionSpec } from '../command.ts';
import type { CommandDeps } from '../deps.ts';
import { exitCodes } from '../exit-codes.ts';
import { serviceContext } from '../service/service-context.ts';
import { serviceEntry, type ServiceEntry } from '../service/service-entry.ts';

/** Options of `latchkey service install|uninstall|status`. */
export interface ServiceOptions {
  /** Only write, remove or look at the entry's file: never ask the service manager. */
  filesOnly: boolean;
}

function entryFor(deps: CommandDeps): ServiceEntry {
  const entry = serviceEntry(serviceContext(deps.env));
  if (entry === null) throw new LatchkeyError('usage', `Latchkey knows no service manager on ${process.platform}.`, { hint: 'Start `latchkey agent` from your session\'s start-up programs.' });
  return entry;
}

/** Runs one command of the service manager; its first line of output, and whether it succeeded. */
function runManager(argv: string[]): { ok: boolean; said: string } {
  const [command, ...args] = argv;
  const result = spawnSync(command ?? '', args, { encoding: 'utf8', windowsHide: true });
  const said = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? '';
  if (result.error !== undefined) return { ok: false, said: result.error.message };
  return { ok: result.status === 0, said };
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const shown = (argv: string[]): string => argv.map((word) => (/^[\w./:@%+=-]+$/.test(word) ? word : JSON.stringify(word))).join(' ');

async function install(options: ServiceOptions, deps: CommandDeps): Promise<number> {
  const entry = entryFor(deps);
  mkdirSync(dirname(entry.path), { recursive: true });
  writeFileSync(entry.path, entry.content, { mode: 0o644 });
  if (options.filesOnly) {
    deps.stdout.write(`Wrote ${entry.kind}: ${entry.path}\nTo start the agent at login (and now), run:\n${entry.enable.map((argv) => `  ${shown(argv)}\n`).join('')}`);
    return exitCodes.ok;
  }
  for (const argv of entry.enable) {
    const { ok, said } = runManager(argv);
    if (!ok) {
      throw new LatchkeyError('service_failed', `${capitalised(entry.kind)} is written to ${entry.path}, but \`${shown(argv)}\` failed${said === '' ? '' : `: ${said}`}.`, {
        hint: `Run it in your desktop session, or \`latchkey service uninstall\` to remove the entry.`,
      });
    }
  }
  deps.stdout.write(`Installed ${entry.kind}: ${entry.path}\nThe agent starts at login; it is started now too.\n`);
  return exitCodes.ok;
}

/** Stops and removes the entry (its manager's refusals said on stderr); false when none was installed. */
export function removeServiceEntry(deps: CommandDeps, askManager: boolean): { entry: ServiceEntry; removed: boolean } {
  const entry = entryFor(deps);
  if (!existsSync(entry.path)) return { entry, removed: false };
  if (askManager) {
    for (const argv of entry.disable) {
      const { ok, said } = runManager(argv);
      // The entry goes in any case: a manager that no longer knows it has nothing to let go.
      if (!ok) deps.stderr.write(`\`${shown(argv)}\` failed${said === '' ? '' : `: ${said}`}; removing the entry anyway.\n`);
    }
  }
  rmSync(entry.path, { force: true });
  return { entry, removed: true };
}

async function uninstall(options: ServiceOptions, deps: CommandDeps): Promise<number> {
  const { entry, removed } = removeServiceEntry(deps, !options.filesOnly);
  deps.stdout.write(removed ? `Removed ${entry.kind}: ${entry.path}\n` : `No service entry is installed (${entry.path}).\n`);
  return exitCodes.ok;
}

async function status(options: ServiceOptions, deps: CommandDeps): Promise<number> {
  const entry = entryFor(deps);
  if (!existsSync(entry.path)) {
    deps.stdout.write(`Not installed: the agent does not start at login (${entry.kind} would be ${entry.path}).\n`);
    return exitCodes.error;
  }
  deps.stdout.write(`Installed: ${entry.kind}, ${entry.path}\n`);
  if (!options.filesOnly) {
    const { ok, said } = runManager(entry.status);
    deps.stdout.write(`\`${shown(entry.status)}\`: ${ok ? said || 'ok' : `failed${said === '' ? '' : `: ${said}`}`}\n`);
  }
  return exitCodes.ok;
}

const filesOnly: OptionSpec = { name: 'files-only', description: "only write, remove or read the entry's file; do not ask the service manager" };

const platforms = `Linux: a systemd user unit (~/.config/systemd/user/latchkey-agent.service, systemctl --user).
macOS: a launchd LaunchAgent (~/Library/LaunchAgents/dev.latchkey.agent.plist, launchctl).
Windows: a scheduled task at logon ("Latchkey agent", schtasks), per user, no administrator.
The entry runs this Node and this installation's \`latchkey agent run\`, with --home when
LATCHKEY_HOME is set.`;

function serviceCommand(run: (options: ServiceOptions, deps: CommandDeps) => Promise<number>, details: string, example: string): Command<ServiceOptions> {
  return defineCommand<ServiceOptions>({
    operands: [],
    options: [filesOnly],
    details: `${details}\n\n${platforms}`,
    examples: [example],
    read: (args) => ({ filesOnly: args.values['files-only'] === true }),
    run,
  });
}

/** `latchkey service install`: registers the agent to start at login, and starts it. */
export const installCommand = serviceCommand(install, 'Registers the agent to start at login with the platform\'s service manager, and starts it.', 'latchkey service install');
/** `latchkey service uninstall`: stops and removes the entry. */
export const uninstallCommand = serviceCommand(uninstall, 'Stops the registered agent and removes its entry; nothing installed is not an error.', 'latchkey service uninstall');
/** `latchkey service status`: whether the entry is installed (exit 0) or not (exit 1), and what the service manager says. */
export const statusCommand = serviceCommand(status, "Says whether the entry is installed (exit 0) or not (exit 1), and what the service manager says of it.", 'latchkey service status');
