import type { Command } from 'commander';
import type { CommandContext } from '../../command-context.ts';
import { registerAddSite } from './add.ts';
import { registerDefaultSite } from './default.ts';
import { registerListSites } from './list.ts';
import { registerRemoveSite } from './rm.ts';

/** Adds the `latchkey sites` group: list (the default), add, rm, default. */
export function registerSites(program: Command, context: CommandContext): void {
  const group = program.command('sites').description('list, add and remove sites, and choose the default one');
  registerListSites(group, context);
  registerAddSite(group, context);
  registerRemoveSite(group, context);
  registerDefaultSite(group, context);
}
