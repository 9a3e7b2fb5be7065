import type { Logger } from '../log.ts';
import { safeUrl } from '../login/safe-url.ts';
import type { LogoutStep } from '../common/views.ts';
import type { HttpPort } from '../net/engine-http.ts';
import type { Site } from '../sites/site.ts';
import { sessionHeaders } from './session-grant.ts';
import { sessionUrl } from './session-url.ts';
import type { Session } from './session.ts';

/** What a probe of the validation path says about a session. */
export type ProbeVerdict = 'live' | 'dead' | 'unknown';

/**
 * Asks the site whether the session still works: `GET <site><validatePath>` with the session.
 * 401 and 403 mean dead (the site or its identity provider ended it); any other failure is
 * unknown, and the session is kept: a network blip must not throw away a good session.
 */
export async function probeSession(site: Site, session: Session, logger: Logger, http: HttpPort): Promise<ProbeVerdict> {
  const path = site.profile.validatePath;
  if (path === null) return 'unknown';
  try {
    const target = sessionUrl(new URL(path, site.url + '/'), session.credential);
    const answer = await http(target.href, { headers: sessionHeaders(session), timeoutMs: 5_000, maxBytes: 1024 * 1024 });
    if (answer.status >= 200 && answer.status < 300) return 'live';
    if (answer.status === 401 || answer.status === 403) return 'dead';
    logger.warn('session validation answered unexpectedly', { site: site.id, status: answer.status });
    return 'unknown';
  } catch (error) {
    logger.warn('session validation failed', { site: site.id, error: error instanceof Error ? error.name : 'unknown' });
    return 'unknown';
  }
}

const maxLogoutHops = 5;

/**
 * Calls the site's logout path with the session and follows its redirects, but only to the site
 * itself or to a URI the profile registers (an identity provider's end-session endpoint): never an
 * open redirect to anywhere else. Answers what came of it; never throws: logout goes on locally.
 */
export async function callLogout(site: Site, session: Session, allowedRedirects: readonly string[], logger: Logger, http: HttpPort): Promise<LogoutStep | null> {
  const path = site.profile.logoutPath;
  if (path === null) return null;
  const allowed = (url: URL): boolean =>
    url.origin === site.url || allowedRedirects.some((uri) => {
      const registered = new URL(uri);
      return registered.origin === url.origin && registered.pathname === url.pathname;
    });
  let target = new URL(path, site.url + '/');
  try {
    for (let hop = 0; hop < maxLogoutHops; hop += 1) {
      // The session goes only to the site itself; registered identity-provider URIs get no site cookie.
      const ownSite = target.origin === site.url;
      const headers = ownSite ? sessionHeaders(session) : {};
      const answer = await http((ownSite ? sessionUrl(target, session.credential) : target).href, { headers, timeoutMs: 5_000, maxBytes: 1024 * 1024 });
      const location = answer.headers.location;
      if (answer.status < 300 || answer.status >= 400 || !location) {
        logger.info('site logout called', { site: site.id, status: answer.status });
        return answer.status < 400
          ? { step: 'site_logout', ok: true, detail: "The site's logout path was called." }
          : { step: 'site_logout', ok: false, detail: `The site's logout path answered HTTP ${answer.status}.` };
      }
      const next = new URL(location, target);
      if (!allowed(next)) {
        logger.warn('site logout redirect not followed: not a registered URI', { site: site.id, to: safeUrl(next.href) });
        return { step: 'site_logout', ok: true, detail: `The site's logout path was called (its redirect to ${safeUrl(next.href)}, not a registered URI, was not followed).` };
      }
      target = next;
    }
    logger.warn('site logout redirected too many times', { site: site.id });
    return { step: 'site_logout', ok: false, detail: "The site's logout path redirected too many times." };
  } catch (error) {
    logger.warn('site logout call failed', { site: site.id, error: error instanceof Error ? error.name : 'unknown' });
    return { step: 'site_logout', ok: false, detail: `The site's logout path could not be reached (${(error as NodeJS.ErrnoException).code ?? 'no answer'}).` };
  }
}
