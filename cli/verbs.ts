import type { Command } from './command.ts';

/** A verb of the command line: a command, or a group of them (`sites add`). */
export interface Verb {
  name: string;
  /** One line for the top help and the command's own help. */
  summary: string;
  /** Other names it answers to (`sites remove`). */
  aliases?: readonly string[];
  /** Loads the command: each verb's module is loaded only when it runs. */
  load?: () => Promise<{ command: Command<unknown> }>;
  /** A group's verbs, and the one that runs when none is named. */
  verbs?: readonly Verb[];
  defaultVerb?: string;
}

// The import() calls are written out, one per verb, so the build makes a chunk of each.
/** Every verb of `latchkey`, in the order the help lists them (docs/ARCHITECTURE.md, "The command line"). */
export const verbs: readonly Verb[] = [
  { name: 'status', summary: 'show the agent, its storage, and each site with its user and expiry', load: () => import('./commands/status.ts') },
  {
    name: 'sites',
    summary: 'list, add, edit and remove sites, and choose the default one',
    defaultVerb: 'list',
    verbs: [
      { name: 'list', summary: 'list the sites with their sessions (what `latchkey sites` does)', load: () => import('./commands/sites/list.ts') },
      { name: 'add', summary: 'register a site (https, or http on a loopback host)', load: () => import('./commands/sites/add.ts') },
      { name: 'edit', summary: "change a site's name or login profile", load: () => import('./commands/sites/edit.ts') },
      { name: 'rm', aliases: ['remove'], summary: 'remove a site, with its session and browser profile', load: () => import('./commands/sites/rm.ts') },
      { name: 'default', summary: 'make a site the default one', load: () => import('./commands/sites/default.ts') },
    ],
  },
  { name: 'login', summary: 'log in to a site in the login window (nothing to do while its session is valid)', load: () => import('./commands/login.ts') },
  { name: 'logout', summary: "end a site's session and forget its browser profile (or every site's, with --all)", load: () => import('./commands/logout.ts') },
  { name: 'token', summary: "print the site's bare session credential, for $(...)", load: () => import('./commands/token.ts') },
  { name: 'get', summary: "print a site's session in a format other tools read", load: () => import('./commands/get.ts') },
  { name: 'exec', summary: 'run a command with the session in its environment; its exit code is passed through', load: () => import('./commands/exec.ts') },
  { name: 'api', summary: "call the site's API with the session; on a 401, renew once and retry", load: () => import('./commands/api.ts') },
  { name: 'invalidate', summary: 'report that the site rejected its session (a 401): it is renewed silently', load: () => import('./commands/invalidate.ts') },
  {
    name: 'agent',
    summary: 'run the agent headless in this terminal, or stop the running one',
    defaultVerb: 'run',
    verbs: [
      { name: 'run', summary: 'run the agent headless (login windows in the installed Chrome/Chromium/Edge); what `latchkey agent` does', load: () => import('./commands/agent.ts') },
      { name: 'stop', summary: 'stop the agent serving the home', load: () => import('./commands/agent-stop.ts') },
    ],
  },
  {
    name: 'service',
    summary: 'start the agent at login: install, uninstall, or show the entry',
    defaultVerb: 'status',
    verbs: [
      { name: 'install', summary: 'register the agent to start at login (systemd, launchd or a scheduled task), and start it', load: async () => ({ command: (await import('./commands/service.ts')).installCommand }) },
      { name: 'uninstall', summary: 'stop the registered agent and remove its entry', load: async () => ({ command: (await import('./commands/service.ts')).uninstallCommand }) },
      { name: 'status', summary: 'whether the agent starts at login', load: async () => ({ command: (await import('./commands/service.ts')).statusCommand }) },
    ],
  },
  { name: 'doctor', summary: 'check what a login needs here (home, agent, browser, proxy, CA, service) and say what to fix', load: () => import('./commands/doctor.ts') },
  { name: 'reset', summary: "remove everything Latchkey keeps for the home: its agent, its start at login, its sites and sessions", load: () => import('./commands/reset.ts') },
  { name: 'ui', summary: "open the running agent's web UI in your browser (a one-time URL)", load: () => import('./commands/ui.ts') },
  { name: 'demo', summary: 'start the SSO lab and an agent with its sites registered', load: () => import('./commands/demo.ts') },
  { name: 'completion', summary: 'print a shell completion script (bash, zsh, fish or powershell)', load: () => import('./commands/completion.ts') },
];

/** The verb `name` names among `list` (by name or alias), or undefined. */
export function findVerb(list: readonly Verb[], name: string | undefined): Verb | undefined {
  if (name === undefined) return undefined;
  return list.find((verb) => verb.name === name || (verb.aliases ?? []).includes(name));
}
