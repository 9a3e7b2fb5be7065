import type { IncomingMessage } from 'node:http';
import { refusal } from './http-errors.ts';
import type { LatchkeyError } from '../common/errors.ts';
import { rawValues } from './request-guard.ts';

/** The web UI's origin: the only one its pages and calls may come from. */
export function uiOrigin(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/**
 * The UI session cookie's name. It carries the port because a cookie belongs to a host, not to a
 * host and port (RFC 6265 section 8.5): two agents' UIs on one machine must not overwrite each
 * other's cookie.
 */
export function uiCookieName(port: number): string {
  return `latchkey_ui_${port}`;
}

/** The header in which the page sends its UI key. A cross-site form cannot send a custom header, and a cross-origin script cannot without a preflight, which the agent refuses. */
export const uiKeyHeader = 'x-latchkey-ui';

/** A page the person navigates to (the ticket link, the UI's files), or a call from the page's script. */
export type UiRequestKind = 'navigation' | 'call';

// Fetch Metadata (W3C): `none` is a navigation the person started (a typed URL, a bookmark, a link
// opened by `latchkey ui`); the page's own calls are `same-origin`. Anything else came from
// another site and is refused.
const allowedFetchSites: Record<UiRequestKind, readonly string[]> = {
  navigation: ['none', 'same-origin'],
  call: ['same-origin'],
};

const uiMethods: Record<UiRequestKind, string[]> = { navigation: ['GET', 'HEAD'], call: ['GET', 'POST', 'PATCH', 'DELETE'] };

/**
 * The web UI's refusals that need no credentials: a Host other than exactly `127.0.0.1:<port>`
 * (DNS rebinding, and an origin the page could not match below), a preflight, an Origin other than
 * the UI's own, and a Sec-Fetch-Site from another site. Absent headers are accepted: an older
 * browser may omit them, and the credentials still have to be right.
 */
export function guardUiRequest(req: IncomingMessage, port: number, kind: UiRequestKind): LatchkeyError | null {
  const hosts = rawValues(req, 'host');
  if (hosts.length !== 1 || hosts[0] !== `127.0.0.1:${port}`) {
    return refusal('misdirected', 'The Host header does not name this agent.', {
      hint: `Open the UI at ${uiOrigin(port)}/ui/ with \`latchkey ui\`.`,
    });
  }
  if (req.method === 'OPTIONS') {
    // A CORS preflight gets no CORS headers, so a cross-origin script stops there.
    return refusal('method_not_allowed', 'OPTIONS (and so CORS preflight) is not served.', { allow: uiMethods[kind] });
  }
  const origins = rawValues(req, 'origin');
  if (origins.length > 1 || (origins.length === 1 && origins[0] !== uiOrigin(port))) {
    return refusal('forbidden', 'Requests from other sites are refused.');
  }
  const fetchSites = rawValues(req, 'sec-fetch-site');
  if (fetchSites.length > 1 || (fetchSites.length === 1 && !allowedFetchSites[kind].includes(fetchSites[0] ?? ''))) {
    return refusal('forbidden', 'Requests from other sites are refused.');
  }
  return null;
}

/**
 * Every value of the cookie `name`. All of them, not the first: another server on 127.0.0.1 can
 * set a cookie of the same name with a longer path, which the browser then sends first; that must
 * not lock the person out.
 */
export function cookieValues(req: IncomingMessage, name: string): string[] {
  const values: string[] = [];
  for (const header of rawValues(req, 'cookie')) {
    for (const pair of header.split(';')) {
      const at = pair.indexOf('=');
      if (at > 0 && pair.slice(0, at).trim() === name) values.push(pair.slice(at + 1).trim());
    }
  }
  return values;
}

/** The UI key the page sent, or null when there is none or more than one. */
export function uiKey(req: IncomingMessage): string | null {
  const values = rawValues(req, uiKeyHeader);
  return values.length === 1 ? (values[0] ?? null) : null;
}
