import { hasCode } from '../../core/common/errors.ts';
import { usageError } from '../arguments.ts';
import { defineCommand } from '../command.ts';
import { completionScript, completionShells, type CompletionCommand, type CompletionShell, type CompletionTree } from '../completion-scripts.ts';
import { withAgent, type CommandDeps } from '../deps.ts';
import { exitCodes } from '../exit-codes.ts';
import { readHomeSites } from '../home-sites.ts';
import { verbs, type Verb } from '../verbs.ts';

/** Options of `latchkey completion`. */
export interface CompletionOptions {
  /** The shell to write a script for; null with `sites`. */
  shell: CompletionShell | null;
  /** Print the site ids instead (what the scripts call to complete a SITE). */
  sites: boolean;
}

/** Every command of the command line with its spec: each verb's module is loaded, once, here. */
async function completionTree(): Promise<CompletionTree> {
  const commands: CompletionCommand[] = [];
  const add = async (verb: Verb, path: string): Promise<void> => {
    if (verb.load !== undefined) commands.push({ path, summary: verb.summary, command: (await verb.load()).command });
    for (const sub of verb.verbs ?? []) await add(sub, `${path} ${sub.name}`);
  };
  for (const verb of verbs) await add(verb, verb.name);
  return { verbs, commands };
}

/** The site ids: the running agent's, else the home's list; never starts an agent. */
async function siteIds(deps: CommandDeps): Promise<string[]> {
  try {
    return (await withAgent(deps, 'latchkey completion', (client) => client.call('listSites', {}, { signal: deps.signal }), { start: false })).map((site) => site.id);
  } catch (error) {
    if (!hasCode(error, 'agent_not_running')) throw error;
    return (readHomeSites(deps.env) ?? []).map((site) => site.id);
  }
}

const isShell = (value: string): value is CompletionShell => (completionShells as readonly string[]).includes(value);

/** `latchkey completion SHELL`: a completion script for bash, zsh, fish or PowerShell. */
export const command = defineCommand<CompletionOptions>({
  operands: [{ name: 'SHELL', description: completionShells.join(', '), optional: true, complete: { choices: completionShells } }],
  options: [{ name: 'sites', description: 'print the site ids, one per line (the scripts call this to complete a SITE)' }],
  details: `Site ids are completed from the running agent (or, while none runs, from the home's site list);
completing never starts an agent.

To load completion in every new shell:
  bash        echo 'source <(latchkey completion bash)' >> ~/.bashrc
  zsh         echo 'source <(latchkey completion zsh)' >> ~/.zshrc   (after compinit)
  fish        latchkey completion fish > ~/.config/fish/completions/latchkey.fish
  powershell  Add-Content $PROFILE 'latchkey completion powershell | Out-String | Invoke-Expression'`,
  examples: ['source <(latchkey completion bash)', 'latchkey completion fish > ~/.config/fish/completions/latchkey.fish'],
  read: (args) => {
    const sites = args.values['sites'] === true;
    const shell = args.operands[0] ?? null;
    if (shell === null && !sites) throw usageError(`Name the shell: ${completionShells.join(', ')}.`, 'completion');
    if (shell !== null && sites) throw usageError('Give either a SHELL or --sites, not both.', 'completion');
    if (shell !== null && !isShell(shell)) throw usageError(`No completion for ${JSON.stringify(shell)}: ${completionShells.join(', ')}.`, 'completion');
    return { shell, sites };
  },
  run: async (options, deps) => {
    if (options.sites) {
      const ids = await siteIds(deps);
      deps.stdout.write(ids.map((id) => `${id}\n`).join(''));
      return exitCodes.ok;
    }
    if (options.shell === null) return exitCodes.usage;
    deps.stdout.write(completionScript(options.shell, await completionTree()));
    return exitCodes.ok;
  },
});
