import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { header, jsonBody, send, startTestAgent, type RawResponse, type TestAgent } from './agent-harness.ts';

let test: TestAgent;
let tcp: { port: number };

beforeAll(async () => {
  test = await startTestAgent('auth');
  tcp = { port: test.agent.port };
});

afterAll(async () => {
  await test.close();
});

function expectUnauthorized(response: RawResponse): { message: string; hint?: string } {
  expect(response.status).toBe(401);
  const body = jsonBody(response);
  expect(body.error.code).toBe('unauthorized');
  expect(header(response, 'connection')).toBe('close');
  // Nothing about the API or its data leaks before authentication.
  expect(response.body).not.toContain('studio');
  return body.error;
}

describe('agent authentication', () => {
  it('has a 256-bit base64url token', () => {
    expect(test.agent.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(test.agent.token, 'base64url')).toHaveLength(32);
  });

  it('refuses a request without a token', async () => {
    expectUnauthorized(await send(tcp, { target: '/v1/sites', headers: [['Host', test.host]] }));
    expect(test.engine.calls.filter((call) => call.name === 'listSites')).toEqual([]);
  });

  it('refuses a wrong token, a truncated one, one with a suffix, and other schemes', async () => {
    const wrong = [
      'Bearer ' + 'A'.repeat(43),
      'Bearer ' + test.agent.token.slice(0, -1),
      'Bearer ' + test.agent.token + 'x',
      'Bearer ' + test.agent.token + ' ' + test.agent.token,
      'Basic ' + Buffer.from(`x:${test.agent.token}`).toString('base64'),
      test.agent.token,
      'Bearer',
    ];
    for (const value of wrong) {
      expectUnauthorized(await send(tcp, { target: '/v1/sites', headers: [['Host', test.host], ['Authorization', value]] }));
    }
    expect(test.engine.calls.filter((call) => call.name === 'listSites')).toEqual([]);
  });

  it('refuses two Authorization headers even when one is right', async () => {
    const response = await send(tcp, { target: '/v1/sites', headers: [['Host', test.host], ['Authorization', 'Bearer nope'], ['Authorization', test.bearer]] });
    expectUnauthorized(response);
  });

  it('accepts the scheme in any case (RFC 9110 section 11.1)', async () => {
    const response = await send(tcp, { target: '/v1/sites', headers: [['Host', test.host], ['Authorization', `bEaReR ${test.agent.token}`]] });
    expect(response.status).toBe(200);
  });

  it('never accepts the token in the query', async () => {
    for (const key of ['token', 'access_token', 'TOKEN']) {
      const error = expectUnauthorized(await send(tcp, { target: `/v1/sites?${key}=${test.agent.token}`, headers: [['Host', test.host]] }));
      expect(error.hint).toContain('Authorization');
    }
  });

  it('refuses a token in the query even when the header carries it too, and says to use the header', async () => {
    for (const query of [`token=${test.agent.token}`, `access_token=${test.agent.token}`, `wait=${test.agent.token}`, 'token=']) {
      const response = await send(tcp, { target: `/v1/sites/studio/session?${query}`, headers: [['Host', test.host], ['Authorization', test.bearer]] });
      const error = expectUnauthorized(response);
      expect(error.message).toContain('URL');
      expect(error.hint).toContain('Authorization: Bearer');
    }
    expect(test.engine.calls.filter((call) => call.name === 'getSession')).toEqual([]);
  });

  it('never writes the token to the log', async () => {
    await send(tcp, { target: `/v1/sites?token=${test.agent.token}`, headers: [['Host', test.host], ['Authorization', test.bearer]] });
    await send(tcp, { target: '/v1/sites', headers: [['Host', test.host], ['Authorization', test.bearer], ['X-Latchkey-Client', test.agent.token]] });
    const log = await test.home.readLog();
    expect(log).toContain('"status":401');
    expect(log).not.toContain(test.agent.token);
  });
});
