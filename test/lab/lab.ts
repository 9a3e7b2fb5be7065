import { labAccounts, type LabAccounts } from './accounts.ts';
import { startCloudSite, type LabCloud } from './cloud-site.ts';
import { startIdp, type LabIdp } from './idp.ts';
import { trustLabCa } from './loopback.ts';
import { startJwtSite, type LabJwtSite } from './jwt-site.ts';
import { startQuerySite, type LabQuerySite } from './query-site.ts';
import { startSite, type LabSite } from './site.ts';
import type { LabClock } from './lab-clock.ts';
import type { ExpiryCookieStyle, SiteFailure } from './site-failures.ts';

export type { LabAccount, LabAccounts } from './accounts.ts';
export { appSessionPollFailures, type AppSessionPollFailure, type AppSessionRequestRecord, type AppSessionRequestState } from './app-session-requests.ts';
export { cloudFailures, type CloudFailure, type LabCloud } from './cloud-site.ts';
export type { LabIdp } from './idp.ts';
export type { AuthorizationTamper, IdTokenTamper } from './idp-tamper.ts';
export { authorizationTampers, idTokenTampers } from './idp-tamper.ts';
export { jwtSiteFailures, type JwtSiteFailure, type LabJwtSite } from './jwt-site.ts';
export { querySiteFailures, type LabQuerySite, type QuerySiteFailure } from './query-site.ts';
export type { LabSite } from './site.ts';
export type { ExpiryCookieStyle, SiteFailure } from './site-failures.ts';
export { siteFailures } from './site-failures.ts';
export { loopbackLookup, requestLoopback, type LoopbackResponse } from './loopback.ts';

/**
 * Loopback ports for the lab's servers. A port left out, or one that is busy when the lab starts,
 * is chosen by the OS; the URLs, the issuer and the OpenID client registrations always follow the
 * ports actually used (each server's `port`).
 */
export interface LabPorts {
  idp?: number;
  /** The ShotGrid-like site over HTTP. */
  site?: number;
  /** The ShotGrid-like site over HTTPS (self-signed). */
  siteTls?: number;
  cloud?: number;
  querySite?: number;
  jwtSite?: number;
}

/** How the lab starts; everything but `expiryCookieStyle` and `ports` can also be changed while it runs. */
export interface LabOptions {
  /** Sign every login in as this account with no page (integrated Windows authentication). */
  autoLogin?: string | null;
  /** Ask for a one-time code (`accounts.otpCode`) after the password. */
  otp?: boolean;
  /** Lifetime of site sessions, whole seconds (default 3600). */
  sessionLifetimeSeconds?: number;
  /** How long the site's app session requests stay open, whole seconds (default 600). */
  appSessionRequestSeconds?: number;
  /** The studio site's HTTPS key and certificate (PEM), e.g. from a lab CA a test made; default a self-signed pair. */
  siteTls?: { key: string | Buffer; cert: string | Buffer };
  /** Serve the identity provider over HTTPS with this key and certificate (PEM), for `idp.localhost`; the lab's sites trust `ca`. */
  idpTls?: { key: string | Buffer; cert: string | Buffer; ca: string | Buffer };
  failure?: SiteFailure | null;
  /** Which expiry cookie the site sets (default `claims`). */
  expiryCookieStyle?: ExpiryCookieStyle;
  /** Where to listen (default: every port chosen by the OS). */
  ports?: LabPorts;
  /** When the sites' sessions and tokens end (default the wall clock; tests pass a manual one). */
  clock?: LabClock;
}

/**
 * A running SSO lab: an OpenID Provider on `idp.localhost`, and one site per login mode: the
 * ShotGrid-like `studio.localhost` (cookie), the CloudShell-like `cloud.localhost` (oidc, with
 * the ID token exchanged for an API token), the Content Catalyst-like `catalyst.localhost`
 * (query) and the CloudShell Portal-like `portal.localhost` (a JWT cookie).
 */
export interface Lab {
  idp: LabIdp;
  site: LabSite;
  cloud: LabCloud;
  querySite: LabQuerySite;
  jwtSite: LabJwtSite;
  accounts: LabAccounts;
  /** Closes every server and drops every connection. */
  close(): Promise<void>;
}

/** Starts the SSO lab on loopback ports: those of `options.ports` that are free, the others chosen by the OS. */
export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const ports = options.ports ?? {};
  const clock = options.clock ?? { now: () => Date.now() };
  if (options.idpTls !== undefined) trustLabCa(options.idpTls.ca);
  const idp = await startIdp({ autoLogin: options.autoLogin ?? null, otp: options.otp ?? false, port: ports.idp, ...(options.idpTls === undefined ? {} : { tls: { key: options.idpTls.key, cert: options.idpTls.cert } }) });
  const started: Array<{ close(): Promise<void> }> = [idp];
  try {
    const site = await startSite({
      idp,
      failure: options.failure ?? null,
      sessionLifetimeSeconds: options.sessionLifetimeSeconds,
      appSessionRequestSeconds: options.appSessionRequestSeconds,
      expiryCookieStyle: options.expiryCookieStyle,
      port: ports.site,
      clock,
      tlsPort: ports.siteTls,
      ...(options.siteTls === undefined ? {} : { tls: options.siteTls }),
    });
    started.push(site);
    const cloud = await startCloudSite(idp, clock, ports.cloud);
    started.push(cloud);
    const querySite = await startQuerySite(idp, clock, ports.querySite);
    started.push(querySite);
    const jwtSite = await startJwtSite(idp, clock, ports.jwtSite);
    started.push(jwtSite);
    for (const client of [site.clientRegistration, ...cloud.clientRegistrations, querySite.clientRegistration, jwtSite.clientRegistration]) await idp.registerClient(client);
    return {
      idp,
      site,
      cloud,
      querySite,
      jwtSite,
      accounts: labAccounts,
      close: async () => {
        await Promise.all(started.map((server) => server.close()));
      },
    };
  } catch (error) {
    await Promise.all(started.map((server) => server.close()));
    throw error;
  }
}
