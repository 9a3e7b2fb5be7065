import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { refusal } from './http-errors.ts';
import type { LatchkeyError } from '../common/errors.ts';
import { WebUiAuth, type WebUiAuthOptions } from './web-ui-auth.ts';
import { cookieValues, guardUiRequest, uiCookieName, uiKey, uiOrigin } from './web-ui-guard.ts';
import { sendUiNotice, sendUiRedirect, serveUiFile, uiSecurityHeaders } from './web-ui-static.ts';
import type { UiTicketReply } from '../common/views.ts';

/** How the agent serves its web UI. */
export interface WebUiOptions extends WebUiAuthOptions {
  /** The renderer build (`npm run build:renderer`); default `dist/renderer/` of this package. */
  rendererDir?: string;
}

/** What the web UI made of a request: answered it itself, or let it through to the API at `path` (a `/v1/…` path). */
export type UiAdmission = { kind: 'served'; status: number } | { kind: 'api'; path: string };

/** The agent's web UI on its TCP port: pages under `/ui/`, the API under `/ui/api/v1/…`. */
export interface WebUi {
  /** A fresh one-time ticket and the URL that opens the UI with it (valid once, for a minute). */
  issueTicket(): UiTicketReply & { ticket: string };
  /** Checks and answers a request under `/ui`; throws a LatchkeyError when it is refused. */
  admit(req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<UiAdmission>;
}

/** Where `npm run build:renderer` puts the renderer. */
export const defaultRendererDir = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

const apiPrefix = '/ui/api';

/** True for the paths the web UI answers (on the TCP transport only). */
export function isWebUiPath(path: string): boolean {
  return path === '/ui' || path.startsWith('/ui/');
}

/** The one-time URL for `latchkey ui` of an agent running in this process. */
export function uiUrl(server: { createUiTicket(): string; port: number }): string {
  return `${uiOrigin(server.port)}/ui/open?ticket=${server.createUiTicket()}`;
}

const sessionEnded = (): LatchkeyError =>
  refusal('unauthorized', 'The UI session is missing or has ended.', { hint: 'Run `latchkey ui` to open the UI again.' });

/**
 * Creates the web UI of the agent listening on `port`. Opening it: `latchkey ui` gets a ticket
 * over the authenticated API and opens `/ui/open?ticket=…`; the agent exchanges it for an HttpOnly,
 * SameSite=Strict cookie and redirects to `/ui/#key=…`, so the ticket leaves the address bar, and
 * the page keeps the key (see web-ui-auth.ts). The API under `/ui/api/v1/…` needs both, from the
 * UI's own origin.
 */
export function createWebUi(port: number, options: WebUiOptions = {}): WebUi {
  const auth = new WebUiAuth(options);
  const dir = options.rendererDir ?? defaultRendererDir;
  const cookieName = uiCookieName(port);

  const open = (req: IncomingMessage, res: ServerResponse, query: string): number => {
    const tickets = new URLSearchParams(query).getAll('ticket');
    const credentials = tickets.length === 1 ? auth.redeem(tickets[0] ?? '') : null;
    if (credentials === null) {
      return sendUiNotice(req, res, 401, 'This link has expired', 'A link to the Latchkey UI works once, for a minute. Run `latchkey ui` for a new one.');
    }
    // The key rides in the fragment, which the browser never sends to any server, and the page
    // removes it from the address bar at once.
    return sendUiRedirect(res, 303, `/ui/#key=${credentials.key}`, {
      'set-cookie': `${cookieName}=${credentials.cookie}; HttpOnly; SameSite=Strict; Path=/ui/`,
    });
  };

  return {
    issueTicket: () => {
      const { ticket, expiresAt } = auth.createTicket();
      return { ticket, url: `${uiOrigin(port)}/ui/open?ticket=${ticket}`, expiresAt: new Date(expiresAt).toISOString() };
    },
    admit: async (req, res, path, query) => {
      // Set now, so refusals and the event stream carry them as well as pages.
      for (const [name, value] of Object.entries(uiSecurityHeaders)) res.setHeader(name, value);
      const cookies = cookieValues(req, cookieName);
      if (path.startsWith(apiPrefix + '/')) {
        const refused = guardUiRequest(req, port, 'call');
        if (refused !== null) throw refused;
        const key = uiKey(req);
        if (!cookies.some((cookie) => auth.check(cookie, key))) throw sessionEnded();
        return { kind: 'api', path: path.slice(apiPrefix.length) };
      }
      const refused = guardUiRequest(req, port, 'navigation');
      if (refused !== null) throw refused;
      if (path === '/ui/open') {
        // Only GET redeems: a HEAD (a link checker, a preview) must not use the ticket up.
        if (req.method !== 'GET') throw refusal('method_not_allowed', 'This page takes GET.', { allow: ['GET'] });
        return { kind: 'served', status: open(req, res, query) };
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        throw refusal('method_not_allowed', 'The UI pages take GET.', { allow: ['GET', 'HEAD'] });
      }
      if (path === '/ui') return { kind: 'served', status: sendUiRedirect(res, 308, '/ui/') };
      if (!cookies.some((cookie) => auth.hasSession(cookie))) {
        return { kind: 'served', status: sendUiNotice(req, res, 401, 'Open Latchkey from a terminal', 'This page opens through a one-time link: run `latchkey ui` in a terminal.') };
      }
      return { kind: 'served', status: await serveUiFile(req, res, dir, path.slice('/ui/'.length)) };
    },
  };
}
