import { forDisplay } from '../../core/common/display-text.ts';
import { hasCode } from '../../core/common/errors.ts';
import type { AgentStatus, SiteView, StorageKind } from '../../core/common/views.ts';
import { homePaths, hostName, latchkeyHome } from '../../core/home.ts';
import { findSite, type SiteKey } from '../../core/sites/site-lookup.ts';
import { defineCommand } from '../command.ts';
import { withAgent, type CommandDeps } from '../deps.ts';
import { sessionFromEnv, type HandedSession } from '../env-session.ts';
import { exitCodes } from '../exit-codes.ts';
import { readHomeSites } from '../home-sites.ts';
import { describeSession, siteLines } from '../site-text.ts';

/** Options of `latchkey status`. */
export interface StatusOptions {
  /** Only this site (and exit 4 when it needs a login); null: every site. */
  site: string | null;
  json: boolean;
}

/** One site in `status --json`; `state` is null when no agent runs to say. */
export interface StatusSiteJson {
  id: string;
  name: string;
  url: string;
  default: boolean;
  state: SiteView['session']['state'] | null;
  user: string | null;
  expiresAt: string | null;
  obtainedAt: string | null;
  loggingIn: boolean;
}

/** The whole `status --json` document (stable: fields are only ever added). */
export interface StatusJson {
  agent: { running: boolean; version: string | null; pid: number | null; storage: StorageKind | null; storageNote: string | null };
  /** The home's log file (the agent's; `latchkey agent --debug` or LATCHKEY_DEBUG=1 makes it verbose). */
  log: string;
  source: 'agent' | 'env';
  env: { siteUrl: string | null; kind: string; name: string } | null;
  sites: StatusSiteJson[];
}

/** A site as `--json` prints it (exact values: JSON escapes what a terminal would obey). */
export function siteJson(site: SiteView | SiteKey): StatusSiteJson {
  const session = 'session' in site ? site.session : null;
  return {
    id: site.id,
    name: site.name,
    url: site.url,
    default: site.default,
    state: session?.state ?? null,
    user: session?.user ?? null,
    expiresAt: session?.expiresAt ?? null,
    obtainedAt: session?.obtainedAt ?? null,
    loggingIn: 'loggingIn' in site ? site.loggingIn : false,
  };
}

function statusJson(agent: AgentStatus | null, env: HandedSession | null, sites: ReadonlyArray<SiteView | SiteKey>, log: string): StatusJson {
  return {
    agent: agent === null
      ? { running: false, version: null, pid: null, storage: null, storageNote: null }
      : { running: true, version: agent.version, pid: agent.pid, storage: agent.storage, storageNote: agent.storageNote },
    log,
    source: env === null ? 'agent' : 'env',
    env: env === null ? null : { siteUrl: env.siteUrl, kind: env.credential.kind, name: env.credential.name },
    sites: sites.map(siteJson),
  };
}

function statusText(agent: AgentStatus | null, env: HandedSession | null, sites: ReadonlyArray<SiteView | SiteKey>, now: number, log: string): string {
  const lines = [agent === null ? 'agent: not running (sessions unknown; the next command that needs one starts it)' : `agent: running (pid ${agent.pid}, version ${agent.version})`];
  if (agent !== null) lines.push(`storage: ${agent.storage}${agent.storageNote ? ` (${agent.storageNote})` : ''}`);
  lines.push(`log: ${log}`);
  lines.push(
    env === null
      ? 'source: agent'
      : `source: env (LATCHKEY_SESSION is set: token, get, exec and api use it${env.siteUrl ? ` for ${env.siteUrl}` : ''}, not the agent)`,
  );
  if (sites.length === 0) lines.push('', 'No sites yet. Add one with `latchkey sites add URL`.');
  for (const site of sites) lines.push('', ...siteLines(site, 'session' in site ? describeSession(site, now) : 'unknown (no agent is running)'));
  return lines.join('\n') + '\n';
}

async function runStatus(options: StatusOptions, deps: CommandDeps): Promise<number> {
  const env = sessionFromEnv(deps.env);
  let agent: AgentStatus | null = null;
  try {
    agent = await withAgent(deps, 'latchkey status', (client) => client.call('status', {}, { signal: deps.signal }), { start: false });
  } catch (error) {
    if (!hasCode(error, 'agent_not_running')) throw error;
    // Why there is no agent (no discovery file, or one whose agent does not answer), for a person.
    deps.stderr.write(`latchkey: ${forDisplay(error.message)}\n`);
  }
  // Without an agent, what the home says: the sites, but no session.
  let sites: ReadonlyArray<SiteView | SiteKey> = agent?.sites ?? readHomeSites(deps.env) ?? [];
  if (options.site !== null) sites = [findSite(sites, options.site)];
  const log = homePaths(latchkeyHome(deps.env), hostName(deps.env)).log;
  deps.stdout.write(options.json ? JSON.stringify(statusJson(agent, env, sites, log), null, 2) + '\n' : statusText(agent, env, sites, deps.clock.now(), log));
  if (agent === null) return env === null ? exitCodes.agentNotRunning : exitCodes.ok;
  const needsLogin = env === null && options.site !== null && (sites[0] as SiteView | undefined)?.session.state !== 'valid';
  return needsLogin ? exitCodes.loginRequired : exitCodes.ok;
}

/** `latchkey status [SITE]`: the agent, its storage and each site's session; never starts an agent. */
export const command = defineCommand<StatusOptions>({
  operands: [{ name: 'SITE', description: 'only this site (id, name, host or URL); exit 4 when it needs a login', optional: true, complete: 'sites' }],
  options: [{ name: 'json', description: 'print a JSON document (see below)' }],
  details: `--json prints { agent: { running, version, pid, storage, storageNote }, log, source: "agent"|"env",
  env: null | { siteUrl, kind, name }, sites: [ { id, name, url, default, state, user, expiresAt,
  obtainedAt, loggingIn } ] }; state is valid, expired, invalid (rejected by the site) or none,
  or null while no agent runs; times are ISO 8601 in UTC, or null. Fields are only ever added,
  never renamed or removed. The text form shows times in local time.

Without a running agent, status prints the sites the home lists and exits 3; it never starts
an agent. With LATCHKEY_SESSION set, source is "env" and a missing agent is not an error.`,
  examples: ['latchkey status', 'latchkey status studio || latchkey login studio', "latchkey status --json | jq -r '.sites[] | select(.state != \"valid\") | .id'"],
  read: (args) => ({ site: args.operands[0] ?? null, json: args.values['json'] === true }),
  run: runStatus,
});
