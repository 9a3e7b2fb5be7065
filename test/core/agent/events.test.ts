import { request, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { honestHeaders, send, startTestAgent, type TestAgent } from './agent-harness.ts';

const agents: TestAgent[] = [];

afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.close();
});

async function agentWith(limits: Parameters<typeof startTestAgent>[1] = {}): Promise<TestAgent> {
  const test = await startTestAgent('events', limits);
  agents.push(test);
  return test;
}

/** An open event stream: what has arrived so far, and a way to wait for more. */
interface Stream {
  response: IncomingMessage;
  text(): string;
  waitFor(pattern: RegExp): Promise<void>;
  ended: Promise<void>;
  close(): void;
}

function openStream(test: TestAgent): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: test.agent.port, path: '/v1/events', headers: { authorization: test.bearer, 'x-latchkey-client': 'events-test' } });
    req.on('error', reject);
    req.on('response', (response) => {
      let text = '';
      const waiters = new Set<() => void>();
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        for (const waiter of waiters) waiter();
      });
      const ended = new Promise<void>((done) => response.once('close', () => done()));
      resolve({
        response,
        text: () => text,
        ended,
        close: () => req.destroy(),
        waitFor: (pattern) =>
          new Promise((done) => {
            const check = (): void => {
              if (!pattern.test(text)) return;
              waiters.delete(check);
              done();
            };
            waiters.add(check);
            check();
          }),
      });
    });
    req.end();
  });
}

describe('GET /v1/events', () => {
  it('streams engine events as JSON data lines', async () => {
    const test = await agentWith();
    const stream = await openStream(test);
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers['cache-control']).toBe('no-store');
    expect(Object.keys(stream.response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    await stream.waitFor(/^: latchkey events\n\n/);
    test.engine.emit({ type: 'login', site: 'studio', phase: 'started' });
    await stream.waitFor(/data: .*\n\n/);
    const line = stream.text().split('\n').find((entry) => entry.startsWith('data: '));
    expect(JSON.parse(line?.slice('data: '.length) ?? '')).toEqual({ type: 'login', site: 'studio', phase: 'started' });
    stream.close();
  });

  it('delivers the event an operation causes', async () => {
    const test = await agentWith();
    const stream = await openStream(test);
    const added = await send({ port: test.agent.port }, { method: 'POST', target: '/v1/sites', headers: honestHeaders(test, [['Content-Type', 'application/json']]), body: '{"url":"https://fresh.example.com"}' });
    expect(added.status).toBe(200);
    await stream.waitFor(/data: \{"type":"sites".*"fresh"/);
    stream.close();
  });

  it('sends a heartbeat at each interval of its clock, and none while no stream is open', async () => {
    const test = await agentWith({ limits: { heartbeatMs: 15_000 } });
    expect(test.engine.clock.pending().filter((timer) => timer.name === 'heartbeat')).toEqual([]);
    const stream = await openStream(test);
    await stream.waitFor(/latchkey events/);
    for (let beat = 1; beat <= 3; beat += 1) {
      test.engine.clock.runTimer('heartbeat');
      await stream.waitFor(new RegExp(`(: heartbeat\\n\\n[^]*){${beat}}`));
    }
    stream.close();
    await test.engine.whenListeners(0);
    expect(test.engine.clock.pending().filter((timer) => timer.name === 'heartbeat')).toEqual([]);
  });

  it('outlives the idle, headers and request timeouts', async () => {
    const test = await agentWith({ limits: { idleTimeoutMs: 300, headersTimeoutMs: 200, requestTimeoutMs: 400 } });
    const stream = await openStream(test);
    await stream.waitFor(/latchkey events/);
    // Node's own timers, on the wall clock: past all three of them, the stream still delivers.
    await sleep(900);
    test.engine.emit({ type: 'login', site: 'studio', phase: 'finished', ending: 'ok' });
    await stream.waitFor(/"phase":"finished"/);
    stream.close();
  });

  it('unsubscribes when the client goes away', async () => {
    const test = await agentWith();
    const stream = await openStream(test);
    await stream.waitFor(/latchkey events/);
    expect(test.engine.listenerCount()).toBe(1);
    stream.close();
    await test.engine.whenListeners(0);
  });

  it('ends every stream when the agent closes', async () => {
    const test = await agentWith();
    const stream = await openStream(test);
    await stream.waitFor(/latchkey events/);
    await test.close();
    await stream.ended;
    expect(test.engine.listenerCount()).toBe(0);
  });

  it('is refused without the token', async () => {
    const test = await agentWith();
    const response = await send({ port: test.agent.port }, { target: '/v1/events', headers: [['Host', test.host]] });
    expect(response.status).toBe(401);
    expect(test.engine.listenerCount()).toBe(0);
  });
});
