import { labAccounts, type LabAccounts } from './accounts.ts';
import { startIdp, type LabIdp } from './idp.ts';
import { startSite, type LabSite } from './site.ts';
import type { ExpiryCookieStyle, SiteFailure } from './site-failures.ts';

export type { LabAccount, LabAccounts } from './accounts.ts';
export type { LabIdp } from './idp.ts';
export type { LabSite } from './site.ts';
export type { ExpiryCookieStyle, SiteFailure } from './site-failures.ts';
export { siteFailures } from './site-failures.ts';
export { loopbackLookup, requestLoopback, type LoopbackResponse } from './loopback.ts';

/** How the lab starts; everything but `expiryCookieStyle` can also be changed while it runs. */
export interface LabOptions {
  /** Sign every login in as this account with no page (integrated Windows authentication). */
  autoLogin?: string | null;
  /** Ask for a one-time code (`accounts.otpCode`) after the password. */
  otp?: boolean;
  /** Lifetime of site sessions, whole seconds (default 3600). */
  sessionLifetimeSeconds?: number;
  failure?: SiteFailure | null;
  /** Which expiry cookie the site sets (default `claims`). */
  expiryCookieStyle?: ExpiryCookieStyle;
}

/** A running SSO lab: an OpenID Provider on `idp.localhost` and a ShotGrid-like site on `studio.localhost`. */
export interface Lab {
  idp: LabIdp;
  site: LabSite;
  accounts: LabAccounts;
  /** Closes every server and drops every connection. */
  close(): Promise<void>;
}

/** Starts the SSO lab on loopback ports chosen by the OS. */
export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const idp = await startIdp({ autoLogin: options.autoLogin ?? null, otp: options.otp ?? false });
  try {
    const site = await startSite({
      idp,
      failure: options.failure ?? null,
      sessionLifetimeSeconds: options.sessionLifetimeSeconds,
      expiryCookieStyle: options.expiryCookieStyle,
    });
    try {
      await idp.registerClient(site.clientRegistration);
    } catch (error) {
      await site.close();
      throw error;
    }
    return {
      idp,
      site,
      accounts: labAccounts,
      close: async () => {
        await Promise.all([idp.close(), site.close()]);
      },
    };
  } catch (error) {
    await idp.close();
    throw error;
  }
}
