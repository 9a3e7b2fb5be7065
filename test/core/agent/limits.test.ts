import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { header, honestHeaders, jsonBody, rawExchange, requestBytes, send, startTestAgent, type TestAgent } from './agent-harness.ts';

// Short limits so the slow-client tests take a second, not the defaults' five or ten.
const limits = { headersTimeoutMs: 600, requestTimeoutMs: 1_200, idleTimeoutMs: 800, keepAliveTimeoutMs: 300, longPollMarginMs: 1_000 };

let fast: TestAgent;
let standard: TestAgent;

beforeAll(async () => {
  fast = await startTestAgent('limits-fast', { limits });
  standard = await startTestAgent('limits-default');
});

afterAll(async () => {
  await fast.close();
  await standard.close();
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

  it('closes a connection that trickles its headers, within the headers timeout', async () => {
    const slow = async (socketWrite: (text: string) => void): Promise<void> => {
      for (let i = 0; i < 40; i++) {
        await sleep(100);
        socketWrite('X');
      }
    };
    const response = await trickle(fast.agent.port, `GET /v1/health HTTP/1.1\r\nHost: ${fast.host}\r\nX-Slow: `, slow);
    expect(response.closed).toBe(true);
    expect(response.ms).toBeLessThan(limits.headersTimeoutMs + 700);
    expect(response.text).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a connection that trickles its body, within the request timeout', async () => {
    const start = requestBytes({ method: 'POST', target: '/v1/sites', headers: honestHeaders(fast, [json, ['Content-Length', '200']]) }).toString('latin1');
    const slow = async (socketWrite: (text: string) => void): Promise<void> => {
      for (let i = 0; i < 40; i++) {
        await sleep(100);
        socketWrite(' ');
      }
    };
    const response = await trickle(fast.agent.port, start, slow);
    expect(response.closed).toBe(true);
    expect(response.ms).toBeLessThan(limits.requestTimeoutMs + 700);
    expect(fast.engine.calls.filter((call) => call.name === 'addSite')).toEqual([]);
  });

  it('closes a connection that sends nothing, within the headers timeout', async () => {
    const response = await trickle(fast.agent.port, '', async () => sleep(3_000));
    expect(response.closed).toBe(true);
    expect(response.ms).toBeLessThan(limits.headersTimeoutMs + 700);
  });

  it('still serves an honest request at once while 1,000 idle connections are open', async () => {
    const idle: Socket[] = [];
    let closedByServer = 0;
    try {
      await Promise.all(
        Array.from({ length: 1_000 }, () => new Promise<void>((resolve) => {
          const socket = connect({ host: '127.0.0.1', port: standard.agent.port });
          idle.push(socket);
          socket.once('connect', () => resolve());
          socket.once('close', () => {
            closedByServer++;
            resolve();
          });
          socket.on('error', () => undefined);
        })),
      );
      // Let the server accept (and evict) the whole backlog before the honest client arrives.
      await sleep(200);
      const started = performance.now();
      const response = await send({ port: standard.agent.port }, { target: '/v1/health', headers: honestHeaders(standard) }, { timeoutMs: 2_000 });
      expect(response.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(2_000);
      // The default headers timeout (5 s) has not run out: it was the cap that closed the surplus.
      expect(closedByServer).toBeGreaterThanOrEqual(1_000 - 256);
    } finally {
      for (const socket of idle) socket.destroy();
    }
  });

  it('lets a long poll wait past the idle and request timeouts, up to its wait', async () => {
    setTimeout(() => fast.engine.completeLogin('other'), 2_000);
    const response = await send({ port: fast.agent.port }, { target: '/v1/sites/other/session?wait=3', headers: honestHeaders(fast) }, { timeoutMs: 5_000 });
    expect(response.status).toBe(200);
    expect(response.ms).toBeGreaterThan(1_900);
    expect(jsonBody<{ credential: { value: string } }>(response).credential.value).toBe(fast.engine.sessionValue);
  });

  it('answers a long poll whose wait runs out with 504 login_timeout', async () => {
    const response = await send({ port: fast.agent.port }, { target: '/v1/sites/broken/session?wait=2', headers: honestHeaders(fast) }, { timeoutMs: 5_000 });
    expect(response.status).toBe(504);
    expect(jsonBody(response).error.code).toBe('login_timeout');
    expect(response.ms).toBeGreaterThan(1_900);
  });

  it('aborts the caller signal when a long-polling client goes away', async () => {
    const before = fast.engine.calls.length;
    await send({ port: fast.agent.port }, { target: '/v1/sites/broken/session?wait=30', headers: honestHeaders(fast) }, { timeoutMs: 300 });
    const call = fast.engine.calls[before];
    expect(call?.name).toBe('getSession');
    await expect.poll(() => call?.caller.signal?.aborted, { timeout: 2_000 }).toBe(true);
  });
});

/** Opens a connection, writes `start`, then runs `more` with a writer; reports when the server closed it. */
function trickle(port: number, start: string, more: (write: (text: string) => void) => Promise<void>): Promise<{ closed: boolean; ms: number; text: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    let started = 0;
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ closed, ms: performance.now() - started, text });
    };
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.once('connect', () => {
      started = performance.now();
      if (start !== '') socket.write(start);
      void more((chunk) => {
        if (!socket.destroyed) socket.write(chunk);
      }).then(() => finish(false));
    });
  });
}

