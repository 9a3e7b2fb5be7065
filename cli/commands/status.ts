import type { Command } from 'commander';
import type { AgentStatus, SiteView } from '../../core/operations/contract.ts';
import { lookupSite } from '../../core/sites/site-lookup.ts';
import { AgentError, isAgentError } from '../client/agent-error.ts';
import type { CommandContext, CommandDeps } from '../command-context.ts';
import { withAgent } from '../command-context.ts';
import { sessionFromEnv, type HandedSession } from '../env-session.ts';
import { exitCodes } from '../exit-codes.ts';
import { describeSession, describeSite } from '../site-text.ts';

/** Options of `latchkey status`. */
export interface StatusOptions {
  /** Only this site (and exit 4 when it needs a login); null: every site. */
  site: string | null;
  json: boolean;
}

/** One site in `status --json`. */
export interface StatusSiteJson {
  id: string;
  name: string;
  url: string;
  default: boolean;
  state: SiteView['session']['state'];
  user: string | null;
  expiresAt: string | null;
  obtainedAt: string | null;
  loggingIn: boolean;
}

/** The whole `status --json` document (stable: fields are only ever added). */
export interface StatusJson {
  agent: { running: boolean; version: string | null; pid: number | null; storage: AgentStatus['storage'] | null; storageNote: string | null };
  source: 'agent' | 'env';
  env: { siteUrl: string | null; kind: string; name: string } | null;
  sites: StatusSiteJson[];
}

/** A site as `--json` prints it. */
export function siteJson(site: SiteView): StatusSiteJson {
  const { session } = site;
  return { id: site.id, name: site.name, url: site.url, default: site.default, state: session.state, user: session.user, expiresAt: session.expiresAt, obtainedAt: session.obtainedAt, loggingIn: site.loggingIn };
}

function statusJson(agent: AgentStatus | null, env: HandedSession | null, sites: SiteView[]): StatusJson {
  return {
    agent: agent === null
      ? { running: false, version: null, pid: null, storage: null, storageNote: null }
      : { running: true, version: agent.version, pid: agent.pid, storage: agent.storage, storageNote: agent.storageNote },
    source: env === null ? 'agent' : 'env',
    env: env === null ? null : { siteUrl: env.siteUrl, kind: env.credential.kind, name: env.credential.name },
    sites: sites.map(siteJson),
  };
}

function statusText(agent: AgentStatus | null, env: HandedSession | null, sites: SiteView[], now: number): string {
  const lines = [agent === null ? 'agent: not running' : `agent: running (pid ${agent.pid}, version ${agent.version})`];
  if (agent !== null) lines.push(`storage: ${agent.storage}${agent.storageNote ? ` (${agent.storageNote})` : ''}`);
  lines.push(
    env === null
      ? 'source: agent'
      : `source: env (LATCHKEY_SESSION is set: token, get, exec and api use it${env.siteUrl ? ` for ${env.siteUrl}` : ''}, not the agent)`,
  );
  if (agent !== null && sites.length === 0) lines.push('', 'No sites yet. Add one with `latchkey sites add URL`.');
  for (const site of sites) lines.push('', describeSite(site), `  url:     ${site.url}`, `  session: ${describeSession(site, now)}`);
  return lines.join('\n') + '\n';
}

/** Shows the agent, its storage and each site's session; with SITE, exits 4 when that site needs a login. */
export async function runStatus(options: StatusOptions, deps: CommandDeps): Promise<number> {
  const env = sessionFromEnv(deps.env);
  let agent: AgentStatus | null = null;
  try {
    agent = await withAgent(deps, 'latchkey status', (client) => client.call('status', {}, { signal: deps.signal }));
  } catch (error) {
    // With a session in the environment, the agent is not needed.
    if (env === null || !isAgentError(error, 'agent_not_running')) throw error;
  }
  let sites = agent?.sites ?? [];
  if (options.site !== null && agent !== null) {
    const site = lookupSite(sites, options.site);
    if (site === undefined) {
      throw new AgentError('site_not_found', options.site === 'default' ? 'No default site is set.' : `No site matches ${JSON.stringify(options.site)}.`, {
        hint: sites.length > 0 ? `Known sites: ${sites.map((known) => known.id).join(', ')}.` : 'Add one with `latchkey sites add URL`.',
      });
    }
    sites = [site];
  }
  deps.stdout.write(options.json ? JSON.stringify(statusJson(agent, env, sites), null, 2) + '\n' : statusText(agent, env, sites, deps.clock.now()));
  const needsLogin = env === null && options.site !== null && sites[0]?.session.state !== 'valid';
  return needsLogin ? exitCodes.loginRequired : exitCodes.ok;
}

/** Adds `latchkey status` to the program. */
export function registerStatus(program: Command, context: CommandContext): void {
  program
    .command('status')
    .description('show the agent, its storage, and each site with its user and expiry')
    .argument('[site]', 'only this site (id, name, host or URL); exit 4 when it needs a login')
    .option('--json', 'print a JSON document (see below)')
    .addHelpText(
      'after',
      `
--json prints { agent: { running, version, pid, storage, storageNote }, source: "agent"|"env",
  env: null | { siteUrl, kind, name }, sites: [ { id, name, url, default, state, user, expiresAt,
  obtainedAt, loggingIn } ] }; state is valid, expired, invalid (rejected by the site) or none;
  times are ISO 8601 or null. Fields are only ever added, never renamed or removed.
With LATCHKEY_SESSION set, source is "env" and a missing agent is not an error.

Examples:
  latchkey status
  latchkey status studio || latchkey login studio
  latchkey status --json | jq -r '.sites[] | select(.state != "valid") | .id'`,
    )
    .action(async (site: string | undefined, raw: { json?: boolean }) => {
      context.setExitCode(await runStatus({ site: site ?? null, json: raw.json === true }, context.deps));
    });
}
