import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiCookieName } from '../../core/agent/web-ui-guard.ts';
import { header, honestHeaders, jsonBody, rawExchange, requestBytes, send, type TestAgent } from '../core/agent/agent-harness.ts';
import { until } from '../support/until.ts';
import { fixturePageMarker, startFixtureUiAgent, type FixtureUiAgent, type UiCredentials } from './fixture-ui-agent.ts';

type Headers = Array<[string, string]>;

/** `headers` without the named one (any case), and with `extra` added. */
function edit(headers: Headers, drop: string[], extra: Headers = []): Headers {
  const names = drop.map((name) => name.toLowerCase());
  return [...headers.filter(([name]) => !names.includes(name.toLowerCase())), ...extra];
}

describe('the web UI’s one-time tickets', () => {
  let ui: FixtureUiAgent;
  beforeAll(async () => {
    ui = await startFixtureUiAgent('ui-tickets');
  });
  afterAll(() => ui.close());

  const open = (ticket: string, extra: Headers = []) => ui.request('GET', `/ui/open?ticket=${ticket}`, [['Host', ui.host], ...extra]);

  it('opens the UI once: an HttpOnly, SameSite=Strict cookie and a redirect to /ui/ with the key in the fragment', async () => {
    const ticket = ui.server.createUiTicket();
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const first = await open(ticket, [['Sec-Fetch-Site', 'none']]);
    expect(first.status).toBe(303);
    expect(header(first, 'location')).toMatch(/^\/ui\/#key=[A-Za-z0-9_-]{43}$/);
    expect(header(first, 'set-cookie')).toMatch(new RegExp(`^${uiCookieName(ui.server.port)}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/ui/$`));
    expect(header(first, 'cache-control')).toBe('no-store');
    const second = await open(ticket, [['Sec-Fetch-Site', 'none']]);
    expect(second.status).toBe(401);
    expect(header(second, 'set-cookie')).toBeUndefined();
    expect(second.body).toContain('This link has expired');
  });

  it('expires a minute after it was made', async () => {
    const ticket = ui.server.createUiTicket();
    ui.clock.advance(60_000);
    expect((await open(ticket)).status).toBe(401);
  });

  it('is not used up by a HEAD request, and an unknown or malformed ticket opens nothing', async () => {
    const ticket = ui.server.createUiTicket();
    expect((await ui.request('HEAD', `/ui/open?ticket=${ticket}`, [['Host', ui.host]])).status).toBe(405);
    expect((await open('A'.repeat(43))).status).toBe(401);
    expect((await open('../../etc')).status).toBe(401);
    expect((await ui.request('GET', `/ui/open?ticket=${ticket}&ticket=${ticket}`, [['Host', ui.host]])).status).toBe(401);
    expect((await open(ticket)).status).toBe(303);
  });

  it('is refused when the link is followed from another site or names another host', async () => {
    const ticket = ui.server.createUiTicket();
    expect((await open(ticket, [['Sec-Fetch-Site', 'cross-site']])).status).toBe(403);
    expect((await open(ticket, [['Sec-Fetch-Site', 'same-site']])).status).toBe(403);
    expect((await open(ticket, [['Origin', 'http://evil.example']])).status).toBe(403);
    const rebound = await ui.request('GET', `/ui/open?ticket=${ticket}`, [['Host', `evil.example:${ui.server.port}`]]);
    expect(rebound.status).toBe(421);
  });

  it('is handed out only by the authenticated API (`POST /v1/ui/ticket`), never through the UI itself', async () => {
    const agent = { host: ui.host, bearer: `Bearer ${ui.server.token}` } as TestAgent;
    const issued = await send({ port: ui.server.port }, { method: 'POST', target: '/v1/ui/ticket', headers: honestHeaders(agent) });
    expect(issued.status).toBe(200);
    const reply = jsonBody<{ url: string; expiresAt: string }>(issued);
    expect(reply.url).toMatch(new RegExp(`^${ui.origin}/ui/open\\?ticket=[A-Za-z0-9_-]{43}$`));
    expect(Date.parse(reply.expiresAt) - ui.clock.now()).toBe(60_000);
    const overSocket = await send({ socketPath: ui.server.socketPath }, { method: 'POST', target: '/v1/ui/ticket', headers: [['Host', 'localhost'], ['Authorization', agent.bearer]] });
    expect(overSocket.status).toBe(200);
    expect((await send({ port: ui.server.port }, { method: 'POST', target: '/v1/ui/ticket', headers: [['Host', ui.host]] })).status).toBe(401);
    const credentials = await ui.openUi();
    const fromUi = await ui.request('POST', '/ui/api/v1/ui/ticket', ui.callHeaders(credentials));
    expect(fromUi.status).toBe(404);
  });
});

describe('the web UI’s API', () => {
  let ui: FixtureUiAgent;
  let credentials: UiCredentials;
  beforeAll(async () => {
    ui = await startFixtureUiAgent('ui-api');
    credentials = await ui.openUi();
  });
  afterAll(() => ui.close());

  it('answers the page’s own calls: cookie, key, own origin, same-origin fetch', async () => {
    const response = await ui.request('GET', '/ui/api/v1/sites', ui.callHeaders(credentials));
    expect(response.status).toBe(200);
    expect(jsonBody<Array<{ id: string }>>(response).map((site) => site.id)).toEqual(['studio', 'other', 'broken']);
    expect(header(response, 'content-security-policy')).toContain("frame-ancestors 'none'");
    const renamed = await ui.request('PATCH', '/ui/api/v1/sites/other', ui.callHeaders(credentials, [['Content-Type', 'application/json']]), '{"name":"Other 2"}');
    expect(renamed.status).toBe(200);
  });

  const refusals: Array<{ name: string; headers: (c: UiCredentials, ui: FixtureUiAgent) => Headers; status: number; code: string }> = [
    { name: 'no cookie', headers: (c, a) => edit(a.callHeaders(c), ['cookie']), status: 401, code: 'unauthorized' },
    { name: 'no UI key header', headers: (c, a) => edit(a.callHeaders(c), ['x-latchkey-ui']), status: 401, code: 'unauthorized' },
    { name: 'the cookie with a constant header (what a leaked cookie allows)', headers: (c, a) => edit(a.callHeaders(c), ['x-latchkey-ui'], [['X-Latchkey-UI', '1']]), status: 401, code: 'unauthorized' },
    { name: 'a wrong key', headers: (c, a) => edit(a.callHeaders(c), ['x-latchkey-ui'], [['X-Latchkey-UI', 'B'.repeat(43)]]), status: 401, code: 'unauthorized' },
    { name: 'the key as the cookie', headers: (c, a) => edit(a.callHeaders(c), ['cookie'], [['Cookie', `${uiCookieName(a.server.port)}=${c.key}`]]), status: 401, code: 'unauthorized' },
    { name: 'the agent token instead of the cookie', headers: (c, a) => edit(a.callHeaders(c), ['cookie'], [['Authorization', `Bearer ${a.server.token}`]]), status: 401, code: 'unauthorized' },
    { name: 'a foreign Origin', headers: (c, a) => edit(a.callHeaders(c), ['origin'], [['Origin', 'http://evil.example']]), status: 403, code: 'forbidden' },
    { name: 'the Origin of another port on 127.0.0.1', headers: (c, a) => edit(a.callHeaders(c), ['origin'], [['Origin', `http://127.0.0.1:${a.server.port + 1}`]]), status: 403, code: 'forbidden' },
    { name: 'Origin null (a sandboxed frame)', headers: (c, a) => edit(a.callHeaders(c), ['origin'], [['Origin', 'null']]), status: 403, code: 'forbidden' },
    { name: 'the agent named localhost in Origin', headers: (c, a) => edit(a.callHeaders(c), ['origin'], [['Origin', `http://localhost:${a.server.port}`]]), status: 403, code: 'forbidden' },
    { name: 'a cross-site page (Sec-Fetch-Site: cross-site)', headers: (c, a) => edit(a.callHeaders(c), ['sec-fetch-site'], [['Sec-Fetch-Site', 'cross-site']]), status: 403, code: 'forbidden' },
    { name: 'a page on another port (Sec-Fetch-Site: same-site)', headers: (c, a) => edit(a.callHeaders(c), ['sec-fetch-site'], [['Sec-Fetch-Site', 'same-site']]), status: 403, code: 'forbidden' },
    { name: 'a typed URL (Sec-Fetch-Site: none)', headers: (c, a) => edit(a.callHeaders(c), ['sec-fetch-site'], [['Sec-Fetch-Site', 'none']]), status: 403, code: 'forbidden' },
    { name: 'a rebinding Host', headers: (c, a) => edit(a.callHeaders(c), ['host'], [['Host', `evil.example:${a.server.port}`]]), status: 421, code: 'misdirected' },
    { name: 'the agent named localhost in Host', headers: (c, a) => edit(a.callHeaders(c), ['host'], [['Host', `localhost:${a.server.port}`]]), status: 421, code: 'misdirected' },
  ];

  for (const refusal of refusals) {
    it(`refuses a call with ${refusal.name}, before any operation runs`, async () => {
      const before = ui.engine.calls.length;
      const response = await ui.request('POST', '/ui/api/v1/logout', refusal.headers(credentials, ui));
      expect(response.status).toBe(refusal.status);
      expect(jsonBody(response).error.code).toBe(refusal.code);
      expect(ui.engine.calls.length).toBe(before);
    });
  }

  it('refuses a CORS preflight, with no CORS header', async () => {
    const response = await ui.request('OPTIONS', '/ui/api/v1/logout', [
      ['Host', ui.host],
      ['Origin', 'http://evil.example'],
      ['Access-Control-Request-Method', 'POST'],
      ['Access-Control-Request-Headers', 'x-latchkey-ui'],
    ]);
    expect(response.status).toBe(405);
    expect(response.headers.filter(([name]) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('refuses to stop the agent, which a token holder may (`latchkey agent stop`)', async () => {
    const fromUi = await ui.request('POST', '/ui/api/v1/agent/stop', ui.callHeaders(credentials));
    expect(fromUi.status).toBe(403);
    expect(jsonBody(fromUi).error).toMatchObject({ code: 'forbidden', message: 'The web UI cannot stop the agent.' });
    expect(ui.stopRequests()).toBe(0);
    const agent = { host: ui.host, bearer: `Bearer ${ui.server.token}` } as TestAgent;
    const stopped = await send({ port: ui.server.port }, { method: 'POST', target: '/v1/agent/stop', headers: honestHeaders(agent) });
    expect(stopped.status).toBe(200);
    expect(jsonBody(stopped)).toEqual({ stopping: true, pid: process.pid });
    expect(header(stopped, 'connection')).toBe('close');
    await until(() => ui.stopRequests(), (count) => count === 1);
  });

  it('refuses getSession: the web UI never receives a session value', async () => {
    const response = await ui.request('GET', '/ui/api/v1/sites/studio/session?wait=0', ui.callHeaders(credentials));
    expect(response.status).toBe(403);
    expect(jsonBody(response).error.code).toBe('forbidden');
    expect(ui.engine.calls.some((call) => call.name === 'getSession')).toBe(false);
    expect(response.body).not.toContain(ui.engine.sessionValue);
  });

  it('leaves the /v1 API as it was: the UI’s credentials do not let a browser in there', async () => {
    const response = await ui.request('GET', '/v1/sites', ui.callHeaders(credentials));
    expect(response.status).toBe(403);
    const unix = await send({ socketPath: ui.server.socketPath }, { target: '/ui/api/v1/sites', headers: edit(ui.callHeaders(credentials), ['host', 'origin', 'sec-fetch-site']) });
    // The unix socket serves no web UI: a UI path there is an API request without its token.
    expect(unix.status).toBe(401);
  });

  it('streams events to the page, and no UI response ever holds a session value', async () => {
    const subscribed = ui.engine.whenListeners(1);
    const streamed = rawExchange({ port: ui.server.port }, [requestBytes({ target: '/ui/api/v1/events', headers: ui.callHeaders(credentials) })], {
      until: (received) => received.includes('"type":"activity"'),
    });
    await subscribed;
    ui.engine.emit({ type: 'activity', entry: { site: 'studio', client: 'test-script', time: new Date(0).toISOString() } });
    // A script takes the session through the API meanwhile: the page hears of it, without the value.
    const grant = await send({ port: ui.server.port }, { target: '/v1/sites/studio/session', headers: [['Host', ui.host], ['Authorization', `Bearer ${ui.server.token}`]] });
    expect(grant.body).toContain(ui.engine.sessionValue);
    const stream = await streamed;
    expect(stream.status).toBe(200);
    expect(header(stream, 'content-type')).toMatch(/^text\/event-stream/);
    expect(stream.body).toContain('"type":"activity"');
    ui.bodies.push(stream.body);
    for (const path of ['/ui/api/v1/status', '/ui/api/v1/sites', '/ui/api/v1/activity', '/ui/api/v1/sites/studio/login']) {
      await ui.request(path.endsWith('login') ? 'POST' : 'GET', path, ui.callHeaders(credentials));
    }
    expect(ui.bodies.length).toBeGreaterThan(20);
    for (const body of ui.bodies) expect(body).not.toContain(ui.engine.sessionValue);
  });

  it('ends a UI session after twelve hours', async () => {
    const fresh = await ui.openUi();
    ui.clock.advance(12 * 60 * 60_000);
    expect((await ui.request('GET', '/ui/api/v1/sites', ui.callHeaders(fresh))).status).toBe(401);
  });
});

describe('the web UI’s pages', () => {
  let ui: FixtureUiAgent;
  let credentials: UiCredentials;
  beforeAll(async () => {
    ui = await startFixtureUiAgent('ui-pages');
    credentials = await ui.openUi();
  });
  afterAll(() => ui.close());

  const page = (target: string, extra: Headers = [], withCookie = true) =>
    ui.request('GET', target, [['Host', ui.host], ...(withCookie ? [['Cookie', `${uiCookieName(ui.server.port)}=${credentials.cookie}`] as [string, string]] : []), ...extra]);

  it('serves the page with a strict policy, no framing, no referrer and no caching', async () => {
    const response = await page('/ui/', [['Sec-Fetch-Site', 'none']]);
    expect(response.status).toBe(200);
    expect(response.body).toContain(fixturePageMarker);
    expect(header(response, 'content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    expect(header(response, 'x-frame-options')).toBe('DENY');
    expect(header(response, 'referrer-policy')).toBe('no-referrer');
    expect(header(response, 'cache-control')).toBe('no-store');
    expect(header(response, 'x-content-type-options')).toBe('nosniff');
    expect(header(response, 'content-type')).toBe('text/html; charset=utf-8');
    const script = await page('/ui/assets/app-1.js', [['Sec-Fetch-Site', 'same-origin']]);
    expect(script.status).toBe(200);
    expect(header(script, 'content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('shows only a notice to open it with `latchkey ui` to a browser without the cookie', async () => {
    const response = await page('/ui/', [], false);
    expect(response.status).toBe(401);
    expect(response.body).toContain('latchkey ui');
    expect(response.body).not.toContain(fixturePageMarker);
    expect((await page('/ui/assets/app-1.js', [], false)).status).toBe(401);
  });

  it('refuses pages asked for by another site (framing, links, rebinding)', async () => {
    expect((await page('/ui/', [['Sec-Fetch-Site', 'cross-site']])).status).toBe(403);
    expect((await page('/ui/', [['Sec-Fetch-Site', 'same-site']])).status).toBe(403);
    expect((await page('/ui/assets/app-1.js', [['Origin', 'http://evil.example']])).status).toBe(403);
    expect((await ui.request('GET', '/ui/', [['Host', `evil.example:${ui.server.port}`]])).status).toBe(421);
  });

  it('serves nothing outside the renderer build', async () => {
    for (const target of ['/ui/../secret.txt', '/ui/%2e%2e/secret.txt', '/ui/..%2fsecret.txt', '/ui/assets/../../secret.txt', '/ui/.env', '/ui/assets/x/y.js', '/ui/secret.txt']) {
      const response = await page(target);
      expect(response.status, target).toBe(404);
      expect(response.body).not.toContain('outside the renderer build');
    }
  });

  it('redirects /ui to /ui/, so the page’s relative links resolve', async () => {
    const response = await page('/ui');
    expect(response.status).toBe(308);
    expect(header(response, 'location')).toBe('/ui/');
  });
});
