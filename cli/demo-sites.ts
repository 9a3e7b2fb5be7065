import { isDeepStrictEqual } from 'node:util';
import type { Caller, OperationHandlers } from '../core/operations/inputs.ts';
import type { SiteView } from '../core/common/views.ts';
import type { LoginProfile } from '../core/common/profile.ts';
import type { Lab, LabPorts } from '../test/lab/lab.ts';

/** The name the demo registers the lab's ShotGrid-like site under (the default site), so `latchkey token demo` finds it. */
export const demoSiteName = 'demo';

/** The first of the demo's six ports, unless LATCHKEY_DEMO_PORTS names another. */
export const defaultDemoPortBase = 27810;

/**
 * Where the demo's lab listens, so the registered sites keep their URLs from one run to the next:
 * six ports from 27810, or from LATCHKEY_DEMO_PORTS (two demos on one machine, as two test runs
 * side by side, each with its own). The default ports lie below every common ephemeral range
 * (Linux 32768–60999, Windows and macOS 49152–65535), so a port the OS handed to another program's
 * connection never takes one. A port that is busy all the same is replaced by one from the OS, and
 * the site is registered again. (`latchkey demo --help` names the range.)
 */
export function demoLabPorts(env: NodeJS.ProcessEnv): Required<LabPorts> {
  const chosen = Number(env['LATCHKEY_DEMO_PORTS']);
  const base = Number.isInteger(chosen) && chosen >= 1024 && chosen <= 65530 ? chosen : defaultDemoPortBase;
  return { idp: base, site: base + 1, siteTls: base + 2, cloud: base + 3, querySite: base + 4, jwtSite: base + 5 };
}

/** One of the lab's sites as the demo registers it. */
export interface DemoSite {
  /** The site's name in the agent (`demo`, `demo-cloud`, …). */
  name: string;
  url: string;
  preset: string;
  /** Profile fields besides the preset's: what ties the site to this run's lab. */
  profile: Partial<LoginProfile>;
  /** What the session's credential is and how a call carries it, for the listing. */
  credential: string;
}

/** A demo site once registered: with the id the agent gave it. */
export interface RegisteredDemoSite extends DemoSite {
  id: string;
}

/** Every site of the lab, one per login mode, with the profile that logs in to it. */
export function demoSites(lab: Lab): DemoSite[] {
  return [
    { name: demoSiteName, url: lab.site.url, preset: 'shotgrid', profile: {}, credential: 'the _session_id cookie' },
    {
      name: 'demo-cloud',
      url: lab.cloud.url,
      preset: 'cloudshell',
      // The lab IdP's issuer and client, its loopback redirect URI, and the cloud's token exchange.
      profile: {
        issuer: lab.idp.issuer,
        clientId: lab.cloud.clientId,
        redirectUri: lab.cloud.loopbackRedirectUri,
        exchange: { path: '/api/login', domain: lab.cloud.domain },
      },
      credential: 'an API token, sent as Authorization: Bearer',
    },
    { name: 'demo-query', url: lab.querySite.url, preset: 'query-key', profile: {}, credential: 'a session key, sent as ?SessionKey=' },
    { name: 'demo-portal', url: lab.jwtSite.url, preset: 'cloudshell-portal', profile: {}, credential: `a JWT in the ${lab.jwtSite.cookieName} cookie` },
  ];
}

/** The lab servers that could not get their demo port, as `host: wanted → got` lines. */
export function movedPorts(lab: Lab, wanted: Required<LabPorts>): string[] {
  const actual: Record<keyof LabPorts, [string, number]> = {
    idp: ['idp.localhost', lab.idp.port],
    site: ['studio.localhost', lab.site.port],
    siteTls: ['studio.localhost (HTTPS)', lab.site.tlsPort],
    cloud: ['cloud.localhost', lab.cloud.port],
    querySite: ['catalyst.localhost', lab.querySite.port],
    jwtSite: ['portal.localhost', lab.jwtSite.port],
  };
  return Object.entries(actual)
    .filter(([key, [, port]]) => wanted[key as keyof LabPorts] !== port)
    .map(([key, [host, port]]) => `${host}: ${wanted[key as keyof LabPorts]} → ${port}`);
}

const caller: Caller = { client: 'latchkey demo' };

/** True when `site` already is `wanted` (same URL, preset and the demo's profile fields). */
function matches(site: SiteView, wanted: DemoSite): boolean {
  const profile = site.profile as unknown as Record<string, unknown>;
  return (
    site.url === wanted.url &&
    site.profile.preset === wanted.preset &&
    Object.entries(wanted.profile).every(([field, value]) => isDeepStrictEqual(profile[field], value))
  );
}

/**
 * Registers one lab site. A site of that name, or at that URL, that already is what the demo needs
 * is kept (renamed if need be); one that is not is replaced, since a site's URL cannot be edited.
 * A kept site is logged out: the lab starts afresh on every run, so a session stored by an
 * earlier run is worthless, and handing it out would only earn a 401.
 */
async function registerOne(handlers: OperationHandlers, wanted: DemoSite): Promise<RegisteredDemoSite> {
  const sites = await handlers.listSites({}, caller);
  const byName = sites.find((site) => site.name === wanted.name);
  const byUrl = sites.find((site) => site.url === wanted.url);
  const keep = [byName, byUrl].find((site) => site !== undefined && matches(site, wanted));
  for (const stale of new Set([byName, byUrl])) {
    if (stale !== undefined && stale !== keep) await handlers.removeSite({ id: stale.id }, caller);
  }
  if (keep !== undefined) {
    if (keep.name !== wanted.name) await handlers.updateSite({ id: keep.id, name: wanted.name }, caller);
    await handlers.logout({ id: keep.id }, caller);
    return { ...wanted, id: keep.id };
  }
  const added = await handlers.addSite({ url: wanted.url, name: wanted.name, preset: wanted.preset, profile: { ...wanted.profile } }, caller);
  return { ...wanted, id: added.id };
}

/** Registers every lab site (see registerOne) and makes `demo` the default; returns them in order. */
export async function registerDemoSites(handlers: OperationHandlers, wanted: DemoSite[]): Promise<RegisteredDemoSite[]> {
  const registered: RegisteredDemoSite[] = [];
  for (const site of wanted) registered.push(await registerOne(handlers, site));
  const main = registered.find((site) => site.name === demoSiteName);
  if (main !== undefined) await handlers.setDefaultSite({ id: main.id }, caller);
  return registered;
}
