import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorReply } from '../../../core/agent/http-errors.ts';
import { httpStatusOf, LatchkeyError, type ErrorCode } from '../../../core/common/errors.ts';
import { honestHeaders, jsonBody, send, startTestAgent, type TestAgent } from './agent-harness.ts';

let test: TestAgent;

beforeAll(async () => {
  test = await startTestAgent('errors');
});

afterAll(async () => {
  await test.close();
});

describe('operation errors over HTTP', () => {
  it('answers an unknown site with 404 site_not_found and a hint to list sites', async () => {
    const response = await send({ port: test.agent.port }, { target: '/v1/sites/nowhere/session', headers: honestHeaders(test) });
    expect(response.status).toBe(404);
    const { error } = jsonBody(response);
    expect(error.code).toBe('site_not_found');
    expect(error.hint).toContain('latchkey sites');
  });

  it('answers login_required with 409 and a hint naming the site', async () => {
    const response = await send({ port: test.agent.port }, { target: '/v1/sites/other/session?wait=0', headers: honestHeaders(test) });
    expect(response.status).toBe(409);
    expect(jsonBody(response).error).toMatchObject({ code: 'login_required', hint: 'Run `latchkey login other`.' });
  });

  it('answers login_failed with 502 and its reason and upstream status', async () => {
    const response = await send({ port: test.agent.port }, { method: 'POST', target: '/v1/sites/broken/login', headers: honestHeaders(test) });
    expect(response.status).toBe(502);
    expect(jsonBody(response).error).toMatchObject({ code: 'login_failed', reason: 'The landing page answered HTTP 503.', status: 503 });
    expect(jsonBody(response).error.hint).toContain('latchkey login broken');
  });

  it('answers an unexpected error with a generic 500 that never echoes its message, and logs its class only', async () => {
    const response = await send({ port: test.agent.port }, { method: 'POST', target: '/v1/sites/explode/invalidate', headers: honestHeaders(test) });
    expect(response.status).toBe(500);
    const { error } = jsonBody(response);
    expect(error.code).toBe('internal');
    expect(response.body).not.toContain('exploded');
    expect(response.body).not.toContain(test.engine.sessionValue);
    const log = await test.home.readLog();
    expect(log).toContain('"error":"Error"');
    expect(log).not.toContain('exploded');
    // The agent keeps serving.
    expect((await send({ port: test.agent.port }, { target: '/v1/health', headers: honestHeaders(test) })).status).toBe(200);
  });

  it('never logs a session value, a query string or a body', async () => {
    await send({ port: test.agent.port }, { target: '/v1/sites/studio/session?wait=0&prompt=false', headers: honestHeaders(test) });
    await send({ port: test.agent.port }, { method: 'POST', target: '/v1/sites', headers: honestHeaders(test, [['Content-Type', 'application/json']]), body: '{"url":"https://body-marker.example.com"}' });
    const log = await test.home.readLog();
    expect(log).toContain('"route":"getSession"');
    expect(log).toContain('"client":"agent-tests"');
    expect(log).not.toContain(test.engine.sessionValue);
    expect(log).not.toContain('prompt=false');
    expect(log).not.toContain('body-marker');
  });
});

describe('errorReply', () => {
  it.each<[ErrorCode, number]>([
    ['site_not_found', 404],
    ['invalid_site', 400],
    ['invalid_site_url', 400],
    ['site_exists', 409],
    ['login_required', 409],
    ['login_cancelled', 409],
    ['login_failed', 502],
    ['login_timeout', 504],
    ['browser_not_found', 503],
    ['browser_failed', 503],
    ['internal', 500],
  ])('maps %s to %i with a hint', (code, status) => {
    const reply = errorReply(new LatchkeyError(code, 'Safe message.'), 'studio');
    expect(reply.status).toBe(status);
    expect(reply.body.error.code).toBe(code);
    expect(reply.body.error.message).toBe('Safe message.');
    expect(reply.body.error.hint).toMatch(/latchkey|LATCHKEY_BROWSER|URL|https/);
    expect(reply.body.error.hint).not.toContain('<site>');
  });

  it.each([
    ['bad_request', 400],
    ['unauthorized', 401],
    ['forbidden', 403],
    ['misdirected', 421],
    ['not_found', 404],
    ['method_not_allowed', 405],
    ['payload_too_large', 413],
    ['unsupported_media_type', 415],
    ['headers_too_large', 431],
    ['timeout', 408],
  ] as const)('maps the transport code %s to %i', (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
    const reply = errorReply(new LatchkeyError(code, 'Refused.'));
    expect(reply.status).toBe(status);
    expect(reply.body.error.hint?.length ?? 0).toBeGreaterThan(0);
  });

  it('keeps a LatchkeyError\'s own hint and leaves an unsafe site name out of the default one', () => {
    expect(errorReply(new LatchkeyError('login_required', 'x', { hint: 'Do this.' }), 'studio').body.error.hint).toBe('Do this.');
    expect(errorReply(new LatchkeyError('login_required', 'x'), 'a b;rm').body.error.hint).toBe('Run `latchkey login <site>`.');
  });

  it('hides anything that is not a Latchkey error', () => {
    for (const thrown of [new TypeError('secret path /x'), 'a string with a secret', { message: 'secret' }, null]) {
      const reply = errorReply(thrown);
      expect(reply.status).toBe(500);
      expect(reply.body.error.code).toBe('internal');
      expect(JSON.stringify(reply.body)).not.toContain('secret');
    }
  });
});
