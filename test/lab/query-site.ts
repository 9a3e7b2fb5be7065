import type { LabClock } from './lab-clock.ts';
import { randomBytes } from 'node:crypto';
import type { ClientMetadata } from 'oidc-provider';
import { checkChoice } from './choice.ts';
import { redirect, send } from './http-output.ts';
import type { IdpEndpoints } from './idp.ts';
import { startLabServer } from './lab-server.ts';
import { modeSiteError, modeSiteHome, modeSiteLanding } from './mode-site-pages.ts';
import { SiteSessions } from './site-sessions.ts';
import { SiteSso } from './site-sso.ts';

/** What the query-key site can be told to get wrong: `no_key` lands without `SessionKey`. */
export type QuerySiteFailure = 'no_key';

/** Every query site failure switch. */
export const querySiteFailures: readonly QuerySiteFailure[] = ['no_key'];

/** The running Content Catalyst-like site (`catalyst.localhost`) and its controls. */
export interface LabQuerySite {
  /** `http://catalyst.localhost:<port>` */
  url: string;
  port: number;
  clientRegistration: ClientMetadata;
  setFailure(failure: QuerySiteFailure | null): void;
  /** Every session key issued, oldest first. */
  issuedKeys(): string[];
  /** Ends every session key: `/api/whoami` answers 401 for all of them. */
  revokeAllKeys(): number;
  close(): Promise<void>;
}

const title = 'Lab Catalyst';
const lifetimeSeconds = 3600;

/**
 * A session key that always holds `+`, `/` or `=` besides letters (standard base64 and a `+`
 * between two halves), so that a client that forgets to decode `%2B` or decodes it as a space is caught.
 */
function newKey(): string {
  return `${randomBytes(16).toString('base64')}+${randomBytes(16).toString('base64')}`;
}

/**
 * Starts the Content Catalyst-like site: `/sso/login` signs in through the lab IdP and lands on
 * `/irLogin.aspx?un=<user>&SessionKey=<key>&returnUrl=/home`, form-encoded as a browser would
 * (a space in the user is `+`, a plus `%2B`); `GET /api/whoami?SessionKey=<key>` checks the key.
 * It listens on `port` when that is free, else on a port from the OS.
 */
export async function startQuerySite(idp: IdpEndpoints, clock: LabClock, port?: number): Promise<LabQuerySite> {
  const state = { failure: null as QuerySiteFailure | null };
  const sessions = new SiteSessions(clock);
  const sso = new SiteSso(idp, 'lab-catalyst');

  const server = await startLabServer('catalyst.localhost', async (origin, req, res) => {
    const url = new URL(req.url ?? '/', origin);
    switch (`${req.method ?? 'GET'} ${url.pathname}`) {
      case 'GET /':
        return send(res, 200, 'html', modeSiteHome(title, '/sso/login'));
      case 'GET /sso/login':
        return redirect(res, sso.authorizationUrl(`${origin}/sso/callback`));
      case 'POST /sso/callback': {
        const login = (await sso.completeRequest(req, res, (message) => modeSiteError(title, message)))?.login;
        if (login === undefined) return;
        const query = new URLSearchParams({ un: login });
        if (state.failure !== 'no_key') query.set('SessionKey', sessions.issue(login, lifetimeSeconds, newKey()).id);
        query.set('returnUrl', '/home');
        return redirect(res, `/irLogin.aspx?${query.toString()}`);
      }
      case 'GET /irLogin.aspx':
        return send(res, 200, 'html', modeSiteLanding(title));
      case 'GET /api/whoami': {
        const session = sessions.find(url.searchParams.get('SessionKey') ?? undefined);
        if (session === undefined) return send(res, 401, 'json', JSON.stringify({ error: 'unauthorized' }));
        return send(res, 200, 'json', JSON.stringify({ user: session.user }));
      }
      default:
        return send(res, 404, 'text', 'not found');
    }
  }, port);

  return {
    url: server.url,
    port: server.port,
    clientRegistration: sso.registration(title, [`${server.url}/sso/callback`]),
    setFailure: (failure) => {
      state.failure = checkChoice('query site failure', querySiteFailures, failure);
    },
    issuedKeys: () => sessions.issued(),
    revokeAllKeys: () => sessions.revokeAll(),
    close: () => server.close(),
  };
}
