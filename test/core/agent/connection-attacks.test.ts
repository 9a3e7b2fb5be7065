import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../support/until.ts';
import { honestHeaders, jsonBody, requestBytes, send, startTestAgent, type Target, type TestAgent } from './agent-harness.ts';

// Attacks on the agent's connections: pipelined and half-closed requests, bodies cut short, and
// event streams held open to exhaust a transport. Limits no test can outlast: whatever closes a
// connection here is the rule under test, never a timeout.
const patientLimits = { headersTimeoutMs: 3_600_000, requestTimeoutMs: 3_600_000, idleTimeoutMs: 3_600_000, maxConnections: 40, maxEventStreams: 8 };

let test: TestAgent;

beforeAll(async () => {
  test = await startTestAgent('connection-attacks', { limits: patientLimits });
});

afterAll(async () => {
  await test.close();
});

const transports = ['TCP', 'unix socket'] as const;
const targetOf = (kind: (typeof transports)[number]): Target => (kind === 'TCP' ? { port: test.agent.port } : { socketPath: test.agent.socketPath });

function open(target: Target): Socket {
  const socket = 'port' in target ? connect({ host: '127.0.0.1', port: target.port }) : connect({ path: target.socketPath });
  socket.on('error', () => undefined);
  return socket;
}

/** The status lines and bodies of every whole response in `data`. */
function responses(data: string): Array<{ status: number; body: string }> {
  const found: Array<{ status: number; body: string }> = [];
  let rest = data;
  for (;;) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd < 0) return found;
    const head = rest.slice(0, headEnd);
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? NaN);
    if (Number.isNaN(length) || rest.length < headEnd + 4 + length) return found;
    found.push({ status: Number(head.slice(9, 12)), body: rest.slice(headEnd + 4, headEnd + 4 + length) });
    rest = rest.slice(headEnd + 4 + length);
  }
}

/** Writes `bytes` at once and collects what comes back until `enough` holds or the agent closes. */
function exchange(target: Target, bytes: Buffer, enough: (data: string) => boolean, afterWrite?: (socket: Socket) => void): Promise<{ data: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = open(target);
    let data = '';
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ data, closed });
    };
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      if (enough(data)) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.once('connect', () => {
      socket.write(bytes);
      afterWrite?.(socket);
    });
  });
}

const logText = (): Promise<string> => test.home.readLog();

describe.each(transports)('pipelined requests over %s', (kind) => {
  const target = (): Target => targetOf(kind);
  const request = (method: string, path: string, body?: string): Buffer =>
    requestBytes({ method, target: path, headers: [...honestHeaders(test), ...(body === undefined ? [] : ([['Content-Type', 'application/json']] as Array<[string, string]>))], ...(body === undefined ? {} : { body }) });

  it('answers every request of one write, in order', async () => {
    const bytes = Buffer.concat([request('GET', '/v1/health'), request('GET', '/v1/sites'), request('GET', '/v1/status')]);
    const { data } = await exchange(target(), bytes, (received) => responses(received).length === 3);
    const answers = responses(data);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(JSON.parse(answers[0]!.body)).toMatchObject({ ok: true });
    expect(Array.isArray(JSON.parse(answers[1]!.body))).toBe(true);
    expect(JSON.parse(answers[2]!.body)).toHaveProperty('sites');
  });

  it('sends the answer of a pipelined session request: a grant is never handed out unseen', async () => {
    const before = test.engine.calls.filter((call) => call.name === 'getSession').length;
    const bytes = Buffer.concat([request('GET', '/v1/health'), request('GET', '/v1/sites/studio/session?wait=0'), request('POST', '/v1/sites/other/invalidate')]);
    const { data } = await exchange(target(), bytes, (received) => responses(received).length === 3);
    const answers = responses(data);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect((JSON.parse(answers[1]!.body) as { credential: { value: string } }).credential.value).toBe(test.engine.sessionValue);
    expect(test.engine.calls.filter((call) => call.name === 'getSession')).toHaveLength(before + 1);
  });

  it('runs no request pipelined behind an event stream, whose answer could never be sent', async () => {
    const before = test.engine.calls.filter((call) => call.name === 'getSession').length;
    const bytes = Buffer.concat([request('GET', '/v1/events'), request('GET', '/v1/sites/studio/session?wait=0')]);
    const { data } = await exchange(target(), bytes, () => false);
    expect(data).not.toContain(test.engine.sessionValue);
    expect(test.engine.calls.filter((call) => call.name === 'getSession')).toHaveLength(before);
  });

  it('answers a refusal and closes, running none of the requests after it', async () => {
    const before = test.engine.calls.length;
    const refused = requestBytes({ target: '/v1/sites', headers: [['Host', test.host], ['Authorization', 'Bearer wrong']] });
    const { data, closed } = await exchange(target(), Buffer.concat([refused, request('POST', '/v1/sites/other/invalidate')]), () => false);
    expect(closed).toBe(true);
    expect(responses(data).map((answer) => answer.status)).toEqual([401]);
    expect(test.engine.calls).toHaveLength(before);
  });
});

describe.each(transports)('half-closed and cut-short requests over %s', (kind) => {
  const target = (): Target => targetOf(kind);
  it('answers a request whose sender closed its side after sending it', async () => {
    const bytes = requestBytes({ target: '/v1/health', headers: honestHeaders(test) });
    const { data } = await exchange(target(), bytes, (received) => responses(received).length === 1, (socket) => socket.end());
    expect(responses(data).map((answer) => answer.status)).toEqual([200]);
  });

  it('logs a body cut short by the client as the client going away, not as an agent error', async () => {
    const marker = `cut-short-${Math.random().toString(36).slice(2)}`;
    const head = requestBytes({ method: 'POST', target: '/v1/sites', headers: [...honestHeaders(test, [['Content-Type', 'application/json'], ['Content-Length', '500']]).filter(([name]) => name !== 'X-Latchkey-Client'), ['X-Latchkey-Client', marker]] });
    const calls = test.engine.calls.length;
    const socket = open(target());
    socket.once('connect', () => socket.write(Buffer.concat([head, Buffer.from('{"url":')]), () => socket.destroy()));
    const text = await until(logText, (log) => log.includes(marker));
    const entry = text.split('\n').find((line) => line.includes(marker))!;
    expect(entry).toContain('"status":400');
    expect(entry).not.toMatch(/"level":"error"/);
    expect(text).not.toMatch(/request failed unexpectedly/);
    expect(test.engine.calls).toHaveLength(calls);
  });
});

describe.each(transports)('event streams over %s', (kind) => {
  const target = (): Target => targetOf(kind);
  const streamRequest = (): Buffer => requestBytes({ target: '/v1/events', headers: honestHeaders(test) });

  /** Opens an event stream; resolves once its first bytes arrived, with a promise of its end. */
  function openStream(): Promise<{ socket: Socket; ended: Promise<void> }> {
    return new Promise((resolve) => {
      const socket = open(target());
      const ended = new Promise<void>((done) => socket.once('close', () => done()));
      let data = '';
      const onData = (chunk: Buffer): void => {
        data += chunk.toString('latin1');
        if (data.includes(': latchkey events')) {
          socket.off('data', onData);
          socket.resume();
          resolve({ socket, ended });
        }
      };
      socket.on('data', onData);
      socket.once('connect', () => socket.write(streamRequest()));
    });
  }

  it('keeps at most the cap of streams open, closing the oldest first', async () => {
    const streams = [];
    for (let i = 0; i < patientLimits.maxEventStreams; i += 1) streams.push(await openStream());
    const newest = await openStream();
    await streams[0]!.ended;
    const stillOpen = await Promise.race([streams[1]!.ended.then(() => false), Promise.resolve(true)]);
    expect(stillOpen).toBe(true);
    for (const stream of [...streams, newest]) stream.socket.destroy();
  });

  it('serves an honest request while streams, idle connections, trickled heads and slow bodies fill every slot', async () => {
    const held: Socket[] = [];
    try {
      // More streams than the cap, then idle connections, requests whose head never ends, and
      // requests without the token whose body never comes, up to the connection cap and beyond.
      for (let i = 0; i < patientLimits.maxEventStreams * 3; i += 1) held.push((await openStream()).socket);
      for (let i = 0; i < patientLimits.maxConnections; i += 1) held.push(open(target()));
      for (let i = 0; i < patientLimits.maxConnections; i += 1) {
        const socket = open(target());
        socket.write(i % 2 === 0 ? `GET /v1/health HTTP/1.1\r\nHost: ${test.host}\r\nX-Slow: ` : `POST /v1/sites HTTP/1.1\r\nHost: ${test.host}\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n{"url":`);
        held.push(socket);
      }
      const response = await send(target(), { target: '/v1/health', headers: honestHeaders(test) });
      expect(response.status).toBe(200);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });

  it('ends a stream whose client stopped reading, and never one that reads', async () => {
    const reader = await openStream();
    const stalled = await openStream();
    expect(test.engine.listenerCount()).toBe(2);
    stalled.socket.pause();
    // Events and heartbeats, as an agent in use sends them, until the stalled client's buffers are
    // full: the agent then ends its stream at the next heartbeat (or when its queue passes its cap).
    // A paused client sees no close; the agent's side does: its subscription ends.
    const event = { type: 'login' as const, site: 'studio', phase: 'started' as const };
    let beats = 0;
    while (test.engine.listenerCount() === 2) {
      if (beats > 100_000) throw new Error('the stalled stream was never ended');
      for (let i = 0; i < 50; i += 1) test.engine.emit(event);
      await new Promise((resolve) => setImmediate(resolve));
      test.engine.clock.runTimer('heartbeat');
      beats += 1;
    }
    // The one left is the reader's: it took every event and heartbeat, and its stream stays open.
    expect(test.engine.listenerCount()).toBe(1);
    expect(reader.socket.destroyed).toBe(false);
    test.engine.emit(event);
    await new Promise((resolve) => setImmediate(resolve));
    expect(test.engine.listenerCount()).toBe(1);
    stalled.socket.destroy();
    reader.socket.destroy();
    await test.engine.whenListeners(0);
  });
});

describe('a cut-short body answered with 500 would be an agent fault', () => {
  it('answers a malformed but complete body with 400, for comparison', async () => {
    const response = await send({ port: test.agent.port }, { method: 'POST', target: '/v1/sites', headers: honestHeaders(test, [['Content-Type', 'application/json']]), body: '{"url":' });
    expect(response.status).toBe(400);
    expect(jsonBody(response).error.code).toBe('bad_request');
  });
});
