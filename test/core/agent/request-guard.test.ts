import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { header, honestHeaders, jsonBody, send, startTestAgent, type RawRequest, type RawResponse, type TestAgent } from './agent-harness.ts';

let test: TestAgent;
let tcp: { port: number };
let unix: { socketPath: string };

beforeAll(async () => {
  test = await startTestAgent('guard');
  tcp = { port: test.agent.port };
  unix = { socketPath: test.agent.socketPath };
});

afterAll(async () => {
  await test.close();
});

function expectRefused(response: RawResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  const body = jsonBody(response);
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(body.error.hint?.length ?? 0).toBeGreaterThan(0);
  expect(response.headers.filter(([name]) => name.startsWith('access-control-'))).toEqual([]);
  // A refused caller's connection is not kept.
  expect(header(response, 'connection')).toBe('close');
}

describe('request guard: Host', () => {
  const foreignHosts: Array<[string, (port: number) => Array<[string, string]>]> = [
    ['a foreign name', () => [['Host', 'evil.example']]],
    ['a foreign name with our port', (port) => [['Host', `evil.example:${port}`]]],
    ['localhost', (port) => [['Host', `localhost:${port}`]]],
    ['localhost.', (port) => [['Host', `localhost.:${port}`]]],
    ['a.localhost', (port) => [['Host', `a.localhost:${port}`]]],
    ['127.0.0.1.', (port) => [['Host', `127.0.0.1.:${port}`]]],
    ['127.0.0.1 without a port', () => [['Host', '127.0.0.1']]],
    ['a wrong port', (port) => [['Host', `127.0.0.1:${port === 1 ? 2 : port - 1}`]]],
    ['another loopback address', (port) => [['Host', `127.0.0.2:${port}`]]],
    ['an empty Host', () => [['Host', '']]],
    ['two Host headers (ours first)', (port) => [['Host', `127.0.0.1:${port}`], ['Host', 'evil.example']]],
    ['two identical Host headers', (port) => [['Host', `127.0.0.1:${port}`], ['Host', `127.0.0.1:${port}`]]],
    ['no Host at all', () => []],
  ];

  it.each(foreignHosts)('refuses %s with 421 misdirected, before checking the token', async (_name, hosts) => {
    const response = await send(tcp, { target: '/v1/health', headers: [...hosts(test.agent.port), ['Authorization', test.bearer]] });
    expectRefused(response, 421, 'misdirected');
  });

  it('accepts exactly 127.0.0.1:<port> and [::1]:<port>', async () => {
    for (const host of [`127.0.0.1:${test.agent.port}`, `[::1]:${test.agent.port}`]) {
      const response = await send(tcp, { target: '/v1/health', headers: [['Host', host], ['Authorization', test.bearer]] });
      expect(response.status).toBe(200);
      expect(jsonBody<{ ok: boolean }>(response).ok).toBe(true);
    }
  });

  it('accepts no Host, `localhost`, or the TCP address on the unix socket, and nothing else there', async () => {
    const port = test.agent.port;
    for (const hosts of [[], [['Host', 'localhost']], [['Host', `127.0.0.1:${port}`]], [['Host', `[::1]:${port}`]]] as Array<Array<[string, string]>>) {
      const response = await send(unix, { target: '/v1/health', headers: [...hosts, ['Authorization', test.bearer]] });
      expect(response.status).toBe(200);
    }
    for (const hosts of [[['Host', 'localhost.']], [['Host', 'a.localhost']], [['Host', 'localhost:80']], [['Host', 'evil.example']], [['Host', '']], [['Host', 'localhost'], ['Host', 'localhost']]] as Array<Array<[string, string]>>) {
      const response = await send(unix, { target: '/v1/health', headers: [...hosts, ['Authorization', test.bearer]] });
      expectRefused(response, 421, 'misdirected');
    }
  });
});

describe('request guard: request target', () => {
  it('refuses an absolute-form target with 400, even naming our own address', async () => {
    const response = await send(tcp, { target: `http://127.0.0.1:${test.agent.port}/v1/health`, headers: honestHeaders(test) });
    expectRefused(response, 400, 'bad_request');
  });

  it('refuses an absolute-form target on the unix socket too', async () => {
    const response = await send(unix, { target: 'http://localhost/v1/health', headers: [['Host', 'localhost'], ['Authorization', test.bearer]] });
    expectRefused(response, 400, 'bad_request');
  });
});

describe('request guard: browsers', () => {
  const browserHeaders: Array<[string, [string, string]]> = [
    ['Origin: null', ['Origin', 'null']],
    ['Origin: http://evil.example', ['Origin', 'http://evil.example']],
    ['even our own Origin', ['Origin', 'http://127.0.0.1']],
    ['Sec-Fetch-Site', ['Sec-Fetch-Site', 'cross-site']],
    ['Sec-Fetch-Site: same-origin', ['Sec-Fetch-Site', 'same-origin']],
    ['Sec-Fetch-Dest', ['Sec-Fetch-Dest', 'empty']],
  ];

  it.each(browserHeaders)('refuses %s with 403 forbidden, even with the token', async (_name, extra) => {
    const response = await send(tcp, { target: '/v1/health', headers: honestHeaders(test, [extra]) });
    expectRefused(response, 403, 'forbidden');
  });

  it('refuses a browser header on the unix socket too', async () => {
    const response = await send(unix, { target: '/v1/health', headers: [['Host', 'localhost'], ['Authorization', test.bearer], ['Origin', 'null']] });
    expectRefused(response, 403, 'forbidden');
  });

  it('serves Node fetch, which sends Sec-Fetch-Mode: cors', async () => {
    const response = await fetch(`http://${test.host}/v1/health`, { headers: { authorization: test.bearer } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, version: 'test', pid: process.pid });
    expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('serves a request with Sec-Fetch-Mode: cors alone', async () => {
    const response = await send(tcp, { target: '/v1/health', headers: honestHeaders(test, [['Sec-Fetch-Mode', 'cors']]) });
    expect(response.status).toBe(200);
  });

  it('answers a CORS preflight with 405 and no CORS headers', async () => {
    const response = await send(tcp, {
      method: 'OPTIONS',
      target: '/v1/sites/studio/session',
      headers: [['Host', test.host], ['Origin', 'http://evil.example'], ['Access-Control-Request-Method', 'GET'], ['Access-Control-Request-Headers', 'authorization']],
    });
    expectRefused(response, 405, 'method_not_allowed');
    expect(header(response, 'allow')).toBe('GET');
  });

  it('sends no Access-Control-* header on any answer', async () => {
    const requests: RawRequest[] = [
      { target: '/v1/health', headers: honestHeaders(test) },
      { target: '/v1/sites', headers: honestHeaders(test) },
      { target: '/v1/sites/studio/session', headers: honestHeaders(test, [['Origin', 'http://evil.example']]) },
      { target: '/v1/nothing', headers: honestHeaders(test) },
      { target: '/v1/health', headers: [['Host', test.host]] },
      { method: 'OPTIONS', target: '*', headers: [['Host', test.host]] },
    ];
    for (const request of requests) {
      const response = await send(tcp, request);
      expect(response.status).not.toBeNull();
      expect(response.headers.filter(([name]) => name.startsWith('access-control-'))).toEqual([]);
      expect(header(response, 'cache-control')).toBe('no-store');
      expect(header(response, 'x-content-type-options')).toBe('nosniff');
    }
  });
});
