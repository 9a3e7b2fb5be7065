import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requestLoopback, startLab, type Lab, type LoopbackResponse } from '../lab/lab.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { HttpBrowser } from './http-browser.ts';

let lab: Lab;
// The site ends requests by this clock, which moves only when a test moves it.
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  lab = await startLab({ clock });
});

afterAll(async () => {
  await lab.close();
});

afterEach(() => {
  lab.site.setAppSessionRequests(true);
  lab.site.setAppSessionRequestLifetime(600);
  lab.site.setAppSessionPollFailure(null);
});

/** What tk-core's app_session_launcher.py sends first. */
function createRequest(form: Record<string, string> = { appName: 'tk-desktop', machineId: 'render-07' }): Promise<LoopbackResponse> {
  return requestLoopback(`${lab.site.url}/internal_api/app_session_request`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

async function newRequest(form?: Record<string, string>): Promise<{ id: string; url: string }> {
  const answer = await createRequest(form);
  expect(answer.status).toBe(200);
  const { sessionRequestId, url } = JSON.parse(answer.body) as { sessionRequestId: string; url: string };
  return { id: sessionRequestId, url };
}

function poll(id: string): Promise<LoopbackResponse> {
  return requestLoopback(`${lab.site.url}/internal_api/app_session_request/${id}`, { method: 'PUT' });
}

function whoami(sessionId: string): Promise<LoopbackResponse> {
  return requestLoopback(`${lab.site.url}/api/whoami`, { headers: { cookie: `_session_id=${sessionId}` } });
}

/** A page request carrying the site session `sessionId`. */
function asPerson(sessionId: string, path: string, method = 'GET'): Promise<LoopbackResponse> {
  return requestLoopback(`${lab.site.url}${path}`, { method, headers: { cookie: `_session_id=${sessionId}` } });
}

function record(id: string) {
  return lab.site.appSessionRequests().find((request) => request.id === id);
}

describe('app session requests', () => {
  it('answers pending polls, signs the person in through SSO and back to the page, and hands a new session to the first poll after approval', async () => {
    const made = await createRequest({ appName: 'tk-desktop', machineId: 'render-07' });
    expect(made.status).toBe(200);
    expect(made.headers['content-type']).toBe('application/json');
    const { sessionRequestId: id, url } = JSON.parse(made.body) as { sessionRequestId: string; url: string };
    expect(id).toMatch(/^[\w-]{43}$/);
    expect(url).toBe(`${lab.site.url}/app_session_request/${id}`);

    const pending = await poll(id);
    expect([pending.status, JSON.parse(pending.body)]).toEqual([200, { approved: false }]);

    // The person's browser has no site session: the site's SSO login brings it back to the page.
    const browser = new HttpBrowser();
    const loginForm = await browser.open(url);
    expect(browser.visited[1]).toBe(`${lab.site.url}/auth/renew?return_to=${encodeURIComponent(`/app_session_request/${id}`)}`);
    expect(new URL(loginForm.url).origin).toBe(lab.idp.url);
    const formPost = await browser.submit(loginForm, { fields: { username: 'ada', password: 'lovelace' } });
    const page = await browser.submit(formPost);
    expect([page.url, page.status]).toEqual([url, 200]);
    expect(page.body).toContain('<strong id="app-name">tk-desktop</strong>');
    expect(page.body).toContain('<strong id="machine-id">render-07</strong>');
    const browserSession = browser.cookie(lab.site.url, '_session_id');
    expect(browserSession).toBeDefined();

    const approved = await browser.submit(page, { buttonId: 'approve' });
    expect([approved.url, approved.status]).toEqual([`${url}/approve`, 200]);
    expect(approved.body).toContain('<p id="answer">Approved. You may close this tab.</p>');
    expect(record(id)?.state).toBe('approved');

    const answer = await poll(id);
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.body) as { approved: boolean; sessionToken: string; userLogin: string };
    expect(body).toEqual({ approved: true, sessionToken: expect.stringMatching(/^[\w-]{43}$/) as unknown, userLogin: 'ada' });
    // A session of its own, which the site's API takes as the `_session_id` cookie.
    expect(body.sessionToken).not.toBe(browserSession);
    expect(lab.site.issuedSessions().at(-1)).toBe(body.sessionToken);
    const me = await whoami(body.sessionToken);
    expect([me.status, JSON.parse(me.body)]).toEqual([200, { user: 'ada' }]);

    const again = await poll(id);
    expect([again.status, JSON.parse(again.body)]).toEqual([404, { error: 'no such request' }]);
    expect(record(id)).toEqual({ id, appName: 'tk-desktop', machineId: 'render-07', state: 'consumed', polls: 3 });
  });

  it('shows the page straight away to a browser that has a site session, with the names escaped', async () => {
    const { sessionRequestId: id } = JSON.parse((await createRequest({ appName: '<script>alert(1)</script>', machineId: 'a"b&c' })).body) as { sessionRequestId: string };
    const page = await asPerson(lab.site.issueSession('ada'), `/app_session_request/${id}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<strong id="app-name">&#60;script&#62;alert(1)&#60;/script&#62;</strong>');
    expect(page.body).toContain('<strong id="machine-id">a&#34;b&#38;c</strong>');
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain(`<form method="post" action="/app_session_request/${id}/approve"><button id="approve" type="submit">Approve</button></form>`);
    expect(page.body).toContain(`<form method="post" action="/app_session_request/${id}/deny"><button id="deny" type="submit">Deny</button></form>`);
  });

  it('answers 404 to the polls of a denied request, and keeps the answer', async () => {
    const { id } = await newRequest();
    const session = lab.site.issueSession('user name');
    const denied = await asPerson(session, `/app_session_request/${id}/deny`, 'POST');
    expect([denied.status, denied.body.includes('<p id="answer">Denied.</p>')]).toEqual([200, true]);
    const answer = await poll(id);
    expect([answer.status, JSON.parse(answer.body)]).toEqual([404, { error: 'no such request' }]);
    // Approving after a denial changes nothing.
    expect((await asPerson(session, `/app_session_request/${id}/approve`, 'POST')).status).toBe(409);
    expect((await asPerson(session, `/app_session_request/${id}/deny`, 'POST')).status).toBe(200);
    expect(record(id)).toEqual({ id, appName: 'tk-desktop', machineId: 'render-07', state: 'denied', polls: 1 });
  });

  it('expires a request appSessionRequestSeconds after it was made, by the lab clock', async () => {
    lab.site.setAppSessionRequestLifetime(60);
    const { id } = await newRequest();
    clock.advance(59_999);
    expect(JSON.parse((await poll(id)).body)).toEqual({ approved: false });
    clock.advance(1);
    expect((await poll(id)).status).toBe(404);
    expect(record(id)?.state).toBe('expired');
    const session = lab.site.issueSession('ada');
    expect((await asPerson(session, `/app_session_request/${id}`)).status).toBe(404);
    expect((await asPerson(session, `/app_session_request/${id}/approve`, 'POST')).status).toBe(404);
  });

  it('expires an approved request that was not collected in time', async () => {
    lab.site.setAppSessionRequestLifetime(60);
    const { id } = await newRequest();
    expect((await asPerson(lab.site.issueSession('ada'), `/app_session_request/${id}/approve`, 'POST')).status).toBe(200);
    clock.advance(60_000);
    expect((await poll(id)).status).toBe(404);
    expect(record(id)?.state).toBe('expired');
  });

  it('expires every open request on expireAppSessionRequests', async () => {
    const [first, second] = [await newRequest(), await newRequest()];
    expect(lab.site.expireAppSessionRequests()).toBeGreaterThanOrEqual(2);
    for (const { id } of [first, second]) {
      expect((await poll(id)).status).toBe(404);
      expect(record(id)?.state).toBe('expired');
    }
    expect(lab.site.expireAppSessionRequests()).toBe(0);
  });

  it('answers 403 to new requests while the feature is off', async () => {
    lab.site.setAppSessionRequests(false);
    const refused = await createRequest();
    expect([refused.status, JSON.parse(refused.body)]).toEqual([403, { error: 'app session requests are disabled' }]);
    lab.site.setAppSessionRequests(true);
    expect((await createRequest()).status).toBe(200);
  });

  const badForms: Array<{ name: string; form: Record<string, string> }> = [
    { name: 'no appName', form: { machineId: 'render-07' } },
    { name: 'no machineId', form: { appName: 'tk-desktop' } },
    { name: 'an empty appName', form: { appName: '', machineId: 'render-07' } },
  ];
  for (const { name, form } of badForms) {
    it(`answers 400 to a request with ${name}`, async () => {
      const before = lab.site.appSessionRequests().length;
      const answer = await createRequest(form);
      expect([answer.status, JSON.parse(answer.body)]).toEqual([400, { error: 'appName and machineId are required' }]);
      expect(lab.site.appSessionRequests()).toHaveLength(before);
    });
  }

  it('answers 400 to a body that is not a form', async () => {
    const answer = await requestLoopback(`${lab.site.url}/internal_api/app_session_request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appName: 'tk-desktop', machineId: 'render-07' }),
    });
    expect([answer.status, JSON.parse(answer.body)]).toEqual([400, { error: 'expected an application/x-www-form-urlencoded body' }]);
  });

  it('answers the next polls 503 with server_error, then as before', async () => {
    const { id } = await newRequest();
    lab.site.setAppSessionPollFailure('server_error', 2);
    expect((await poll(id)).status).toBe(503);
    expect((await poll(id)).status).toBe(503);
    const after = await poll(id);
    expect([after.status, JSON.parse(after.body)]).toEqual([200, { approved: false }]);
    expect(record(id)?.polls).toBe(3);
  });

  it('keeps an approval through a failed poll, and hands the session to the poll after it', async () => {
    const { id } = await newRequest();
    await asPerson(lab.site.issueSession('ada'), `/app_session_request/${id}/approve`, 'POST');
    const issued = lab.site.issuedSessions().length;
    lab.site.setAppSessionPollFailure('server_error');
    expect((await poll(id)).status).toBe(503);
    expect(lab.site.issuedSessions()).toHaveLength(issued);
    expect(JSON.parse((await poll(id)).body)).toMatchObject({ approved: true, userLogin: 'ada' });
  });

  it('redirects every poll to /auth/renew with redirect, until cleared', async () => {
    const { id } = await newRequest();
    lab.site.setAppSessionPollFailure('redirect');
    for (let i = 0; i < 3; i += 1) {
      const answer = await poll(id);
      expect([answer.status, answer.headers.location]).toEqual([302, '/auth/renew']);
    }
    lab.site.setAppSessionPollFailure(null);
    expect((await poll(id)).status).toBe(200);
    expect(record(id)?.polls).toBe(4);
  });

  it('refuses an unknown poll failure and a count below one', () => {
    expect(() => lab.site.setAppSessionPollFailure('bogus' as 'redirect')).toThrow(TypeError);
    expect(() => lab.site.setAppSessionPollFailure('server_error', 0)).toThrow(TypeError);
  });

  it('answers 404 for every id it did not make', async () => {
    const { id } = await newRequest();
    const session = lab.site.issueSession('ada');
    const strangers = [`${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`, 'short', `${id}x`, 'has%20space', ''];
    for (const stranger of strangers) {
      expect((await poll(stranger)).status).toBe(404);
      expect((await asPerson(session, `/app_session_request/${stranger}`)).status).toBe(404);
      expect((await asPerson(session, `/app_session_request/${stranger}/approve`, 'POST')).status).toBe(404);
    }
    expect(record(id)).toMatchObject({ state: 'pending', polls: 0 });
  });

  it('sends a browser with no site session to the login, and refuses the buttons without one', async () => {
    const { id } = await newRequest();
    const page = await requestLoopback(`${lab.site.url}/app_session_request/${id}`);
    expect([page.status, page.headers.location]).toEqual([302, `/auth/renew?return_to=%2Fapp_session_request%2F${id}`]);
    const stale = await requestLoopback(`${lab.site.url}/app_session_request/${id}`, { headers: { cookie: '_session_id=not-a-session' } });
    expect(stale.status).toBe(302);
    for (const action of ['approve', 'deny']) {
      expect((await requestLoopback(`${lab.site.url}/app_session_request/${id}/${action}`, { method: 'POST' })).status).toBe(401);
    }
    expect(record(id)?.state).toBe('pending');
  });

  it('lets a login return only to the page of a request the site made', async () => {
    const { id } = await newRequest();
    const renew = (returnTo: string) => requestLoopback(`${lab.site.url}/auth/renew?${new URLSearchParams({ return_to: returnTo }).toString()}`);
    const good = await renew(`/app_session_request/${id}`);
    expect([good.status, new URL(String(good.headers.location)).origin]).toEqual([302, lab.idp.url]);
    for (const bad of ['https://evil.example/', '//evil.example/', '/auth/landing', `/app_session_request/${id}/approve`, '/app_session_request/unknown']) {
      expect((await renew(bad)).status).toBe(400);
    }
  });
});
