import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { honestHeaders, jsonBody, send, startTestAgent, type TestAgent } from './agent-harness.ts';

let test: TestAgent;
let tcp: { port: number };

beforeAll(async () => {
  test = await startTestAgent('input');
  tcp = { port: test.agent.port };
});

afterAll(async () => {
  await test.close();
});

const json: [string, string] = ['Content-Type', 'application/json'];

async function post(target: string, body: string | Buffer): Promise<{ status: number | null; code: string | undefined; message: string | undefined }> {
  const response = await send(tcp, { method: 'POST', target, headers: honestHeaders(test, [json]), body });
  const parsed = response.status === 200 ? undefined : jsonBody(response).error;
  return { status: response.status, code: parsed?.code, message: parsed?.message };
}

describe('agent request bodies', () => {
  it.each([
    ['truncated JSON', '{"url":'],
    ['single quotes', "{'url':'x'}"],
    ['a trailing comma', '{"url":"https://a.example.com",}'],
    ['only whitespace', '   '],
    ['an array', '[]'],
    ['a string', '"https://a.example.com"'],
    ['null', 'null'],
  ])('refuses %s with 400 bad_request', async (_name, body) => {
    expect(await post('/v1/sites', body)).toMatchObject({ status: 400, code: 'bad_request' });
  });

  it('refuses a body that is not UTF-8', async () => {
    expect(await post('/v1/sites', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))).toMatchObject({ status: 400, code: 'bad_request' });
  });

  it('refuses JSON nested 10,000 deep with 400, and keeps serving', async () => {
    for (const body of ['['.repeat(10_000) + ']'.repeat(10_000), '{"profile":' + '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_001)]) {
      const result = await post('/v1/sites', body);
      expect(result).toMatchObject({ status: 400, code: 'bad_request' });
      expect(result.message).toContain('nests deeper');
    }
    const health = await send(tcp, { target: '/v1/health', headers: honestHeaders(test) });
    expect(health.status).toBe(200);
  });

  it('accepts nesting up to the limit', async () => {
    const deep = '{"url":"https://deep.example.com","profile":{"a":' + '['.repeat(30) + ']'.repeat(30) + '}}';
    expect(await post('/v1/sites', deep)).toMatchObject({ status: 200 });
  });

  it('refuses __proto__, constructor and prototype keys and leaves Object.prototype alone', async () => {
    const before = test.engine.calls.length;
    const bodies = [
      '{"url":"https://a.example.com","__proto__":{"polluted":true}}',
      '{"url":"https://a.example.com","profile":{"__proto__":{"polluted":true}}}',
      '{"url":"https://a.example.com","profile":{"constructor":{"prototype":{"polluted":true}}}}',
      '{"url":"https://a.example.com","profile":{"x":[{"prototype":{"polluted":true}}]}}',
    ];
    for (const body of bodies) {
      expect(await post('/v1/sites', body)).toMatchObject({ status: 400, code: 'bad_request' });
    }
    const query = await send(tcp, { target: '/v1/sites/studio/session?__proto__=1&constructor=2', headers: honestHeaders(test) });
    expect(query.status).toBe(400);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(test.engine.calls.slice(before)).toEqual([]);
  });

  it('treats an empty body as {}', async () => {
    const before = test.engine.calls.length;
    expect(await post('/v1/sites/studio/login', '')).toMatchObject({ status: 200 });
    expect(test.engine.calls[before]?.input).toEqual({ id: 'studio', force: false });
  });

  it('reads a chunked body', async () => {
    const before = test.engine.calls.length;
    const body = '{"force":true}';
    const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const response = await send(tcp, { method: 'POST', target: '/v1/sites/studio/login', headers: honestHeaders(test, [json, ['Transfer-Encoding', 'chunked']]), body: chunked });
    expect(response.status).toBe(200);
    expect(test.engine.calls[before]?.input).toEqual({ id: 'studio', force: true });
  });
});
