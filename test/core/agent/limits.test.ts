import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { header, honestHeaders, jsonBody, rawExchange, requestBytes, send, startTestAgent, type TestAgent } from './agent-harness.ts';

// The request deadlines run on the agent's clock (a manual one here): a test runs them. The idle
// timeout is Node's own, on the wall clock, kept short: no assertion here bounds how long it takes
// to act, only that it acts, and never before its time.
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

  it('answers 408 and closes a connection whose head is not whole at the headers deadline, and not before', async () => {
    const slow = trickle(fast.agent.port, `GET /v1/health HTTP/1.1\r\nHost: ${fast.host}\r\nX-Slow: `);
    const deadline = await fast.engine.clock.whenTimer('headers deadline');
    slow.write('XXXX');
    fast.engine.clock.advance(deadline.due - fast.engine.clock.now() - 1);
    expect(slow.write('X')).toBe(true);
    fast.engine.clock.advance(1);
    const response = await slow.closed;
    expect(response.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(response.text).toContain('"code":"timeout"');
  });

  it('closes a connection whose body is not whole at the request deadline, and the operation never runs', async () => {
    const start = requestBytes({ method: 'POST', target: '/v1/sites', headers: honestHeaders(fast, [json, ['Content-Length', '200']]) }).toString('latin1');
    const slow = trickle(fast.agent.port, start);
    await fast.engine.clock.whenTimer('request deadline');
    slow.write('{"url":');
    fast.engine.clock.runTimer('request deadline');
    await slow.closed;
    expect(fast.engine.calls.filter((call) => call.name === 'addSite')).toEqual([]);
  });

  it('closes a connection that sends nothing, at the headers deadline', async () => {
    const silent = trickle(fast.agent.port, '');
    await fast.engine.clock.whenTimer('headers deadline');
    fast.engine.clock.runTimer('headers deadline');
    expect((await silent.closed).text).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('keeps no timer once its connections are answered: an idle agent sleeps', async () => {
    const response = await send({ port: fast.agent.port }, { target: '/v1/health', headers: honestHeaders(fast, [['Connection', 'close']]) });
    expect(response.status).toBe(200);
    expect(fast.engine.clock.pending()).toEqual([]);
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

/** A slow client: a connection that writes `start`, then whatever the test writes; `closed` resolves when the agent closes it. */
function trickle(port: number, start: string): { write(text: string): boolean; closed: Promise<{ text: string }> } {
  const socket = connect({ host: '127.0.0.1', port });
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  if (start !== '') socket.write(start);
  return {
    write: (chunk) => {
      if (socket.destroyed || socket.readableEnded) return false;
      socket.write(chunk);
      return true;
    },
    closed: new Promise((resolve) => socket.once('close', () => resolve({ text }))),
  };
}

