/**
 * What the site can be told to get wrong, one at a time, to provoke each way a login can fail
 * (docs/ARCHITECTURE.md, "Logins": every login ends in exactly one outcome):
 * - `landing_500`: the landing page answers 500.
 * - `no_cookie`: the callback lands without setting `_session_id`.
 * - `redirect_loop`: the renew URL redirects between two URLs forever (Chromium gives up with ERR_TOO_MANY_REDIRECTS).
 * - `page_loop`: the renew URL serves a page whose script replaces it with another that replaces it back, forever.
 * - `never_lands`: the renew URL serves a page that stays forever.
 * - `renew_500`: the renew URL answers 500.
 */
export type SiteFailure = 'landing_500' | 'no_cookie' | 'redirect_loop' | 'page_loop' | 'never_lands' | 'renew_500';

/** Every failure switch, for menus and for checking input. */
export const siteFailures: readonly SiteFailure[] = ['landing_500', 'no_cookie', 'redirect_loop', 'page_loop', 'never_lands', 'renew_500'];

/** The failure itself, or a TypeError for a value that names none (null means no failure). */
export function checkSiteFailure(value: string | null): SiteFailure | null {
  if (value === null) return null;
  const failure = siteFailures.find((f) => f === value);
  if (failure === undefined) throw new TypeError(`unknown site failure: ${JSON.stringify(value)} (one of ${siteFailures.join(', ')}, or null)`);
  return failure;
}

/**
 * Which cookie tells the session's expiry, in Unix seconds: ShotGrid's claims cookie
 * (`shotgun_current_user_sso_claims_expiration`), its per-user cookie
 * (`shotgun_sso_session_expiration_u<numeric user id>`), or none at all.
 */
export type ExpiryCookieStyle = 'claims' | 'user-id' | 'none';
