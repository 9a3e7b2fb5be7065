import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { header, honestHeaders, jsonBody, requestBytes, send, startTestAgent, type RawResponse, type TestAgent } from './agent-harness.ts';

let test: TestAgent;
let tcp: { port: number };

beforeAll(async () => {
  test = await startTestAgent('routing');
  tcp = { port: test.agent.port };
});

afterAll(async () => {
  await test.close();
});

function expectError(response: RawResponse, status: number, code: string): { message: string; hint?: string } {
  expect(response.status).toBe(status);
  const body = jsonBody(response);
  expect(body.error.code).toBe(code);
  expect(body.error.hint?.length ?? 0).toBeGreaterThan(0);
  return body.error;
}

const json: [string, string] = ['Content-Type', 'application/json'];

describe('agent routing', () => {
  it.each([
    ['//v1/health'],
    ['/v1//health'],
    ['/v1/health/'],
    ['/V1/HEALTH'],
    ['/v1/Health'],
    ['/v1/%2e%2e/v1/health'],
    ['/v1/sites/%2e%2e/session'],
    ['/v1/sites/%2E/session'],
    ['/v1/sites/a%2fb/session'],
    ['/v1/sites/%00/session'],
    ['/v1/sites/%zz/session'],
    ['/v1/%68ealth'],
    ['/v1/health;x'],
    ['/v2/health'],
    ['/'],
    ['/v1/nothing'],
    ['/v1/sites/studio/session/extra'],
  ])('answers %s with 404 not_found', async (target) => {
    expectError(await send(tcp, { target, headers: honestHeaders(test) }), 404, 'not_found');
  });

  it('refuses `POST /v1/agent/stop` where the agent is not stopped over its API (the desktop app)', async () => {
    const response = await send(tcp, { method: 'POST', target: '/v1/agent/stop', headers: honestHeaders(test) });
    expectError(response, 403, 'forbidden');
    expect(jsonBody(response).error.hint).toBe('It is the desktop app: quit it from its tray menu.');
    expect((await send(tcp, { target: '/v1/health', headers: honestHeaders(test) })).status).toBe(200);
  });

  it('answers a wrong method on a known path with 405 and an Allow header', async () => {
    const cases: Array<[string, string, string]> = [
      ['POST', '/v1/health', 'GET'],
      ['DELETE', '/v1/sites', 'GET, POST'],
      ['GET', '/v1/sites/studio/login', 'POST'],
      ['PUT', '/v1/sites/studio', 'PATCH, DELETE'],
      ['POST', '/v1/events', 'GET'],
      ['GET', '/v1/agent/stop', 'POST'],
    ];
    for (const [method, target, allow] of cases) {
      const response = await send(tcp, { method, target, headers: honestHeaders(test) });
      expectError(response, 405, 'method_not_allowed');
      expect(header(response, 'allow')).toBe(allow);
    }
    const head = await send(tcp, { method: 'HEAD', target: '/v1/health', headers: honestHeaders(test) });
    expect(head.status).toBe(405);
    expect(header(head, 'allow')).toBe('GET');
  });

  it('serves every operation of the contract at its path, with the id decoded once', async () => {
    const cases: Array<[string, string, string, string | undefined]> = [
      ['health', 'GET', '/v1/health', undefined],
      ['status', 'GET', '/v1/status', undefined],
      ['listSites', 'GET', '/v1/sites', undefined],
      ['addSite', 'POST', '/v1/sites', '{"url":"https://new.example.com","name":"New"}'],
      ['updateSite', 'PATCH', '/v1/sites/new', '{"name":"Newer"}'],
      ['setDefaultSite', 'POST', '/v1/sites/new/default', undefined],
      ['getSession', 'GET', '/v1/sites/studio/session', undefined],
      ['login', 'POST', '/v1/sites/studio/login', '{"force":true}'],
      ['logout', 'POST', '/v1/sites/studio/logout', ''],
      ['invalidate', 'POST', '/v1/sites/studio/invalidate', '{}'],
      ['logoutAll', 'POST', '/v1/logout', undefined],
      ['activity', 'GET', '/v1/activity', undefined],
      ['removeSite', 'DELETE', '/v1/sites/new', undefined],
    ];
    for (const [name, method, target, body] of cases) {
      const before = test.engine.calls.length;
      const response = await send(tcp, { method, target, headers: honestHeaders(test, body ? [json] : []), ...(body === undefined ? {} : { body }) });
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
      expect(header(response, 'content-type')).toBe('application/json; charset=utf-8');
      expect(test.engine.calls.slice(before).map((call) => call.name)).toEqual([name]);
    }
    const added = test.engine.calls.find((call) => call.name === 'addSite');
    expect(added?.input).toEqual({ url: 'https://new.example.com', name: 'New' });
    const login = test.engine.calls.find((call) => call.name === 'login');
    expect(login?.input).toEqual({ id: 'studio', force: true });
    expect(login?.caller.client).toBe('agent-tests');
  });

  it('hands the query to GET operations, parsed by the contract schema', async () => {
    const before = test.engine.calls.length;
    const response = await send(tcp, { target: '/v1/sites/studio/session?wait=0&prompt=false', headers: honestHeaders(test) });
    expect(response.status).toBe(200);
    expect(test.engine.calls[before]?.input).toEqual({ id: 'studio', wait: 0, prompt: false });
    expect(jsonBody<{ credential: { value: string } }>(response).credential.value).toBe(test.engine.sessionValue);
  });

  it('decodes a percent-encoded id exactly once', async () => {
    const before = test.engine.calls.length;
    const response = await send(tcp, { target: '/v1/sites/st%2575dio/session', headers: honestHeaders(test) });
    expectError(response, 404, 'site_not_found');
    expect(test.engine.calls[before]?.input).toMatchObject({ id: 'st%75dio' });
  });

  it('refuses input that fails the schema with 400, naming the field but not the value', async () => {
    const cases: Array<[string, string]> = [
      ['/v1/sites/studio/session?wait=secret-looking-value', 'wait'],
      ['/v1/sites/studio/session?wait=99999', 'wait'],
      ['/v1/sites/studio/session?prompt=secret-looking-value', 'prompt'],
      ['/v1/sites/studio/session?colour=secret-looking-value', 'colour'],
      [`/v1/sites/${'x'.repeat(65)}/session`, 'id'],
    ];
    for (const [target, field] of cases) {
      const error = expectError(await send(tcp, { target, headers: honestHeaders(test) }), 400, 'bad_request');
      expect(error.message).toContain(field);
      expect(error.message).not.toContain('secret-looking-value');
    }
  });

  it('refuses a repeated query parameter', async () => {
    const error = expectError(await send(tcp, { target: '/v1/sites/studio/session?wait=0&wait=5', headers: honestHeaders(test) }), 400, 'bad_request');
    expect(error.message).toContain('wait');
  });

  it('refuses an id in the query or body, which comes only from the path', async () => {
    expectError(await send(tcp, { target: '/v1/sites/studio/session?id=other', headers: honestHeaders(test) }), 400, 'bad_request');
    expectError(await send(tcp, { method: 'POST', target: '/v1/sites/studio/login', headers: honestHeaders(test, [json]), body: '{"id":"other"}' }), 400, 'bad_request');
  });

  it('refuses a body that is not JSON with 415', async () => {
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/jsonp']) {
      const headers = honestHeaders(test, type === undefined ? [] : [['Content-Type', type]]);
      expectError(await send(tcp, { method: 'POST', target: '/v1/sites', headers, body: '{"url":"https://x.example.com"}' }), 415, 'unsupported_media_type');
    }
    const ok = await send(tcp, { method: 'POST', target: '/v1/sites/studio/logout', headers: honestHeaders(test, [['Content-Type', 'Application/JSON; Charset=UTF-8']]), body: '{}' });
    expect(ok.status).toBe(200);
  });

  it('refuses a body on GET and a query on POST', async () => {
    expectError(await send(tcp, { target: '/v1/sites', headers: honestHeaders(test, [json]), body: '{}' }), 400, 'bad_request');
    expectError(await send(tcp, { method: 'POST', target: '/v1/sites/studio/login?force=true', headers: honestHeaders(test) }), 400, 'bad_request');
  });

  it('answers with JSON that is never cached or sniffed', async () => {
    const response = await send(tcp, { target: '/v1/sites', headers: honestHeaders(test) });
    expect(response.status).toBe(200);
    expect(header(response, 'content-type')).toBe('application/json; charset=utf-8');
    expect(header(response, 'cache-control')).toBe('no-store');
    expect(header(response, 'x-content-type-options')).toBe('nosniff');
  });

  it('passes the client name from X-Latchkey-Client only when it is short printable ASCII', async () => {
    const names: Array<[string, string | null]> = [
      ['  my-script 1.0  ', 'my-script 1.0'],
      ['x'.repeat(64), 'x'.repeat(64)],
      ['x'.repeat(65), null],
      ['caf\u00e9', null],
      ['', null],
    ];
    for (const [sent, expected] of names) {
      const before = test.engine.calls.length;
      const headers: Array<[string, string]> = [['Host', test.host], ['Authorization', test.bearer], ['X-Latchkey-Client', sent]];
      expect((await send(tcp, { target: '/v1/activity', headers })).status).toBe(200);
      expect(test.engine.calls[before]?.caller.client).toBe(expected);
    }
  });

  it('answers Expect: 100-continue only once the request has passed its checks', async () => {
    const exchange = (contentType: string): Promise<string> =>
      new Promise((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: test.agent.port });
        const body = '{"force":true}';
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
          if (text.startsWith('HTTP/1.1 100 ') && !text.includes('\r\n\r\nHTTP')) socket.write(body);
          if (/\r\n\r\n\{.*\}$/s.test(text)) socket.end();
        });
        socket.on('close', () => resolve(text));
        socket.write(requestBytes({ method: 'POST', target: '/v1/sites/studio/login', headers: honestHeaders(test, [['Content-Type', contentType], ['Expect', '100-continue'], ['Content-Length', String(body.length)]]) }));
      });
    const accepted = await exchange('application/json');
    expect(accepted).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
    const refused = await exchange('text/plain');
    expect(refused).toMatch(/^HTTP\/1\.1 415 /);
  });
});
