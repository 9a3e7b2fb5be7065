import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { header, honestHeaders, jsonBody, rawExchange, requestBytes, send, startTestAgent, type TestAgent } from './agent-harness.ts';

// Short limits so the slow-client tests take a second, not the defaults' five or ten. These are
// Node's own timers (its HTTP server's): no assertion here bounds how long they take to act, only
// that they act, and never before their time.
const limits = { headersTimeoutMs: 600, requestTimeoutMs: 1_200, idleTimeoutMs: 800, keepAliveTimeoutMs: 300, longPollMarginMs: 1_000 };

let fast: TestAgent;
let standard: TestAgent;
// Limits no test can outlast: a connection it closed was closed by the connection cap.
let patient: TestAgent;

beforeAll(async () => {
  fast = await startTestAgent('limits-fast', { limits });
  standard = await startTestAgent('limits-default');
  patient = await startTestAgent('limits-patient', { limits: { headersTimeoutMs: 3_600_000, requestTimeoutMs: 3_600_000, idleTimeoutMs: 3_600_000 } });
});

afterAll(async () => {
  await fast.close();
  await standard.close();
  await patient.close();
});

/** A client too slow for the agent: it writes one more byte every 100 ms for as long as the connection lasts. */
const trickling = (byte: string) => async (write: (text: string) => boolean): Promise<void> => {
  while (write(byte)) await sleep(100);
};

const json: [string, string] = ['Content-Type', 'application/json'];

describe('agent limits', () => {
  it('answers headers over 8 KiB with 431 and closes', async () => {
    const response = await send({ port: standard.agent.port }, { target: '/v1/health', headers: honestHeaders(standard, [['X-Padding', 'a'.repeat(9 * 1024)]]) });
    expect(response.status).toBe(431);
    expect(jsonBody(response).error.code).toBe('headers_too_large');
    expect(header(response, 'connection')).toBe('close');
  });

  it('answers a declared body over 64 KiB with 413 before reading it', async () => {
    const head = requestBytes({ method: 'POST', target: '/v1/sites', headers: honestHeaders(standard, [json, ['Content-Length', String(100 * 1024)]]) });
    const response = await rawExchange({ port: standard.agent.port }, [head]);
    expect(response.status).toBe(413);
    expect(jsonBody(response).error.code).toBe('payload_too_large');
    expect(header(response, 'connection')).toBe('close');
  });

  it('answers a chunked body that grows past 64 KiB with 413 and stops reading', async () => {
    const head = requestBytes({ method: 'POST', target: '/v1/sites', headers: honestHeaders(standard, [json, ['Transfer-Encoding', 'chunked']]) });
    const chunk = Buffer.concat([Buffer.from('4000\r\n'), Buffer.alloc(0x4000, 0x20), Buffer.from('\r\n')]);
    const response = await rawExchange({ port: standard.agent.port }, [head, ...Array.from({ length: 5 }, () => chunk)]);
    expect(response.status).toBe(413);
    expect(jsonBody(response).error.code).toBe('payload_too_large');
    expect(standard.engine.calls.filter((call) => call.name === 'addSite')).toEqual([]);
  });

  it('reads a body just under 64 KiB', async () => {
    const body = JSON.stringify({ url: 'https://big.example.com', profile: { note: 'x'.repeat(60 * 1024) } });
    const response = await send({ port: standard.agent.port }, { method: 'POST', target: '/v1/sites', headers: honestHeaders(standard, [json]), body });
    expect(response.status).toBe(200);
  });

  it('closes a connection that trickles its headers, at the headers timeout and not before', async () => {
    const response = await trickle(fast.agent.port, `GET /v1/health HTTP/1.1\r\nHost: ${fast.host}\r\nX-Slow: `, trickling('X'));
    expect(response.ms).toBeGreaterThanOrEqual(limits.headersTimeoutMs / 2);
    expect(response.text).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a connection that trickles its body, at the request timeout and not before', async () => {
    const start = requestBytes({ method: 'POST', target: '/v1/sites', headers: honestHeaders(fast, [json, ['Content-Length', '200']]) }).toString('latin1');
    const response = await trickle(fast.agent.port, start, trickling(' '));
    expect(response.ms).toBeGreaterThanOrEqual(limits.requestTimeoutMs / 2);
    expect(fast.engine.calls.filter((call) => call.name === 'addSite')).toEqual([]);
  });

  it('closes a connection that sends nothing, at the headers timeout', async () => {
    const response = await trickle(fast.agent.port, '', async () => undefined);
    expect(response.ms).toBeGreaterThanOrEqual(limits.headersTimeoutMs / 2);
  });

  it('serves an honest request while 1,000 idle connections are open, closing the oldest idle ones to make room', async () => {
    const idle: Socket[] = [];
    let closedByServer = 0;
    // The cap (256 a transport) closes the surplus; the limits of this agent close nothing in a test's time.
    let enoughClosed: () => void = () => undefined;
    const surplusClosed = new Promise<void>((resolve) => (enoughClosed = resolve));
    try {
      for (let i = 0; i < 1_000; i += 1) {
        const socket = connect({ host: '127.0.0.1', port: patient.agent.port });
        idle.push(socket);
        socket.once('close', () => {
          closedByServer += 1;
          if (closedByServer === 1_000 - 256) enoughClosed();
        });
        socket.on('error', () => undefined);
      }
      await surplusClosed;
      const response = await send({ port: patient.agent.port }, { target: '/v1/health', headers: honestHeaders(patient) });
      expect(response.status).toBe(200);
    } finally {
      for (const socket of idle) socket.destroy();
    }
  });

  it('lets a long poll wait past the idle and request timeouts, up to its wait', async () => {
    const asked = fast.engine.nextCall('getSession');
    const polling = send({ port: fast.agent.port }, { target: '/v1/sites/other/session?wait=600', headers: honestHeaders(fast) });
    await asked;
    // Past both timeouts of this agent (800 ms idle, 1.2 s for the request), the poll still waits.
    await sleep(limits.idleTimeoutMs + limits.requestTimeoutMs);
    fast.engine.completeLogin('other');
    const response = await polling;
    expect(response.status).toBe(200);
    expect(jsonBody<{ credential: { value: string } }>(response).credential.value).toBe(fast.engine.sessionValue);
  });

  it('answers a long poll whose wait runs out with 504 login_timeout', async () => {
    const asked = fast.engine.nextCall('getSession');
    const polling = send({ port: fast.agent.port }, { target: '/v1/sites/broken/session?wait=600', headers: honestHeaders(fast) });
    await asked;
    fast.engine.clock.runTimer('fixture wait');
    const response = await polling;
    expect(response.status).toBe(504);
    expect(jsonBody(response).error.code).toBe('login_timeout');
  });

  it('aborts the caller signal when a long-polling client goes away', async () => {
    const asked = fast.engine.nextCall('getSession');
    const socket = connect({ host: '127.0.0.1', port: fast.agent.port });
    socket.on('error', () => undefined);
    socket.write(requestBytes({ target: '/v1/sites/broken/session?wait=600', headers: honestHeaders(fast) }));
    const call = await asked;
    const aborted = new Promise<void>((resolve) => call.caller.signal?.addEventListener('abort', () => resolve(), { once: true }));
    socket.destroy();
    await aborted;
    expect(call.caller.signal?.aborted).toBe(true);
  });
});

/** Opens a connection, writes `start`, then runs `more` with a writer (false once closed); resolves when the server closes it. */
function trickle(port: number, start: string, more: (write: (text: string) => boolean) => Promise<void>): Promise<{ ms: number; text: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    let started = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      resolve({ ms: performance.now() - started, text });
    };
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('close', finish);
    socket.on('error', finish);
    socket.once('connect', () => {
      started = performance.now();
      if (start !== '') socket.write(start);
      void more((chunk) => {
        if (done || socket.destroyed) return false;
        socket.write(chunk);
        return true;
      });
    });
  });
}

