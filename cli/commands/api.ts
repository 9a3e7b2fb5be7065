import { directConfig, proxyConfigFromEnv, siteProxy } from '../../core/net/proxy-config.ts';
import { lookupSiteOrThrow } from '../client/site-ref.ts';
import { proxyRouter } from '../../core/net/proxy-router.ts';
import { isLoopbackHost } from '../../core/sites/site-url.ts';
import { proxyConfigFor } from '../../core/net/system-proxy.ts';
import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { forDisplay, forTerminal } from '../../core/common/display-text.ts';
import { sessionUrl } from '../../core/sessions/session-url.ts';
import { listValue, stringValue, usageError } from '../arguments.ts';
import { acquireSession, fetchSession } from '../acquire-session.ts';
import { defineCommand } from '../command.ts';
import type { CommandDeps } from '../deps.ts';
import { requireSiteUrl, type HandedSession } from '../env-session.ts';
import { exitCodes } from '../exit-codes.ts';
import { readSessionFlags, sessionHelp, sessionOptions, type SessionFlags } from '../session-flags.ts';
import type { HttpAnswer } from '../../core/net/http-call.ts';
import { requestSite } from '../site-request.ts';

/** Options of `latchkey api`. */
export interface ApiOptions extends SessionFlags {
  site: string | null;
  /** A path on the site, starting with `/` (query allowed). */
  path: string;
  /** Default GET, or POST when a body is given. */
  method: string | null;
  /** The body: text, `@file`, or `@-` for stdin. */
  data: string | null;
  /** Extra request headers, `Name: value`. */
  headers: string[];
}

function parseHeaders(lines: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw usageError(`Not a header: ${JSON.stringify(line)} (write "Name: value").`, 'api');
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

async function readData(data: string, stdin: NodeJS.ReadableStream): Promise<Buffer> {
  if (data === '@-') return Buffer.from(await text(stdin));
  if (data.startsWith('@')) return readFile(data.slice(1));
  return Buffer.from(data);
}

/** Refuses a PATH that is not a path on the site (checked before any session is fetched). */
function checkPath(path: string): void {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) {
    throw usageError(`PATH must be a path on the site starting with "/", not ${JSON.stringify(path)}.`, 'api');
  }
}

/** The URL to call: a path on the session's site only, so the session never goes to another host. */
export function siteUrlFor(siteUrl: string, path: string): URL {
  checkPath(path);
  const url = new URL(path, siteUrl);
  if (url.origin !== new URL(siteUrl).origin) throw usageError(`PATH ${JSON.stringify(path)} leaves the site.`, 'api');
  return url;
}

/** Request headers: the session's, unless the caller gave the same header (names compared case-insensitively). */
function mergeHeaders(session: HandedSession, own: Record<string, string>): Record<string, string> {
  const given = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  const merged: Record<string, string> = { ...own };
  for (const [name, value] of Object.entries(session.headers)) if (!given.has(name.toLowerCase())) merged[name] = value;
  return merged;
}

/**
 * Calls the site's API with the session and prints the answer's body. Cookies and bearer tokens go
 * in the session's headers; a key credential goes in the query (see sessionUrl). A 401 means the site
 * rejected the session: the agent is told (`invalidate`), a new session is fetched (silently when
 * possible), and the call is made once more. A non-2xx answer exits 1 with the status on stderr.
 */
async function runApi(options: ApiOptions, deps: CommandDeps): Promise<number> {
  checkPath(options.path);
  const own = parseHeaders(options.headers);
  const body = options.data === null ? null : await readData(options.data, deps.stdin);
  if (body !== null && !Object.keys(own).some((name) => name.toLowerCase() === 'content-type')) {
    try {
      JSON.parse(body.toString('utf8'));
      own['Content-Type'] = 'application/json';
    } catch {
      // Not JSON: sent without a Content-Type, as the caller wrote it.
    }
  }
  const method = (options.method ?? (body === null ? 'GET' : 'POST')).toUpperCase();
  if (!/^[A-Z][A-Z-]{0,31}$/.test(method)) throw usageError(`Not an HTTP method: ${JSON.stringify(method)}.`, 'api');
  const acquired = await acquireSession(options.site, options, deps, 'api');
  let session = acquired.session;
  const url = siteUrlFor(requireSiteUrl(session, 'api'), options.path);
  // `url` is what the messages show; the URL sent may carry a session key.
  // The proxy the agent uses too: the site's own (its profile's), else this command's environment
  // (LATCHKEY_PROXY, HTTPS_PROXY, NO_PROXY, …), else the system's settings (read only then: it runs
  // gsettings, scutil or reg; and not for a loopback host, which goes direct under them anyway).
  const siteOwn = acquired.agent === null ? undefined : siteProxy((await lookupSiteOrThrow(acquired.agent.client, acquired.agent.siteId, { signal: deps.signal })).profile);
  const config = siteOwn ?? (isLoopbackHost(url.hostname) ? (proxyConfigFromEnv(deps.env) ?? directConfig) : await proxyConfigFor(deps.env, process.platform));
  const proxy = await proxyRouter(config)(url.href);
  const call = (current: HandedSession): Promise<HttpAnswer> =>
    requestSite(sessionUrl(url, current.credential), { method, headers: mergeHeaders(current, own), body, signal: deps.signal, proxy });
  let response: HttpAnswer;
  try {
    response = await call(session);
    if (response.status === 401 && acquired.agent !== null) {
      const { client, siteId } = acquired.agent;
      deps.stderr.write(`${url.host} answered 401: renewing the session and trying once more.\n`);
      await client.call('invalidate', { id: siteId }, { signal: deps.signal });
      session = await fetchSession(client, siteId, options, deps);
      response = await call(session);
    }
  } finally {
    acquired.agent?.client.close();
  }
  if (deps.stdout.isTTY) {
    // A person at a terminal reads the answer cleaned of anything the terminal would obey, with
    // the prompt back on its own line; a pipe gets the bytes as they came.
    const text = forTerminal(response.body.toString('utf8'));
    deps.stdout.write(text.length > 0 && !text.endsWith('\n') ? `${text}\n` : text);
  } else {
    deps.stdout.write(response.body);
  }
  if (response.status >= 200 && response.status < 300) return exitCodes.ok;
  const hint = response.status === 401 && acquired.agent === null ? ' (LATCHKEY_SESSION was refused)' : '';
  // The status text is the site's own words: cleaned before it reaches the terminal.
  deps.stderr.write(`latchkey: ${method} ${url.pathname}${url.search} answered HTTP ${response.status} ${forDisplay(response.statusText)}${hint}\n`);
  return exitCodes.error;
}

/** `latchkey api [SITE] PATH`: calls the site with the session. */
export const command = defineCommand<ApiOptions>({
  operands: [
    { name: 'SITE', description: 'id, name, host or URL (optional; default: LATCHKEY_SITE, else the default site)', optional: true, complete: 'sites' },
    { name: 'PATH', description: 'a path on the site, e.g. /api/whoami', optional: true },
  ],
  options: [
    { name: 'method', short: 'X', value: 'METHOD', description: 'HTTP method (default GET, or POST with -d)' },
    { name: 'data', short: 'd', value: 'BODY', description: 'request body; @FILE reads a file, @- reads stdin (JSON gets Content-Type: application/json)', complete: 'files' },
    { name: 'header', short: 'H', value: 'HEADER', multiple: true, description: 'extra request header "Name: value" (repeatable)' },
    ...sessionOptions,
  ],
  details: `The answer's body goes to stdout as it came; a non-2xx status exits 1 and prints the status on
stderr. Redirects are not followed. Only paths on the session's site can be called. Cookies and
bearer tokens are sent as headers; a session key (query-key sites) is added to PATH's query under
the name it arrived with (e.g. SessionKey=…), unless PATH already has that parameter.

${sessionHelp}`,
  examples: [
    'latchkey api /api/whoami',
    "latchkey api studio /api/v1/entity/projects -H 'Accept: application/json'",
    'latchkey api studio /api/v1/entity/notes -X POST -d @note.json',
  ],
  read: (args, env) => {
    const [first, second] = args.operands;
    if (first === undefined) throw usageError('Give the PATH to call, e.g. /api/whoami.', 'api');
    const { site, path } = second === undefined ? { site: null, path: first } : { site: first, path: second };
    return {
      site,
      path,
      method: stringValue(args.values['method']) ?? null,
      data: stringValue(args.values['data']) ?? null,
      headers: listValue(args.values['header']),
      ...readSessionFlags(args, env, 'api'),
    };
  },
  run: runApi,
});
