import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startAgentServer, type AgentServer } from '../../../core/agent/agent-server.ts';
import type { Limits } from '../../../core/agent/limits.ts';
import { makeTestHome, type TestHome } from '../../support/test-home.ts';
import { recordSecret } from '../../support/secrets.ts';
import { createFixtureEngine, type FixtureEngine } from './fixture-handlers.ts';

/** An agent started for one test file, over a fresh home and the fixture engine. */
export interface TestAgent {
  agent: AgentServer;
  home: TestHome;
  engine: FixtureEngine;
  /** `127.0.0.1:<port>`, the Host every honest TCP request sends. */
  host: string;
  /** The Authorization header value with the agent's token. */
  bearer: string;
  close(): Promise<void>;
}

/** Starts an agent over a fresh test home. Its token is recorded as a secret the logs must not hold. */
export async function startTestAgent(label: string, options: { limits?: Partial<Limits>; runtimeDir?: string } = {}): Promise<TestAgent> {
  const home = makeTestHome(label);
  const engine = createFixtureEngine();
  const agent = await startAgentServer({
    home: home.dir,
    handlers: engine.handlers,
    logger: home.logger,
    version: '0.0.0-test',
    events: engine.subscribe,
    clock: engine.clock,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.runtimeDir === undefined ? {} : { runtimeDir: options.runtimeDir }),
  });
  recordSecret(agent.token);
  return { agent, home, engine, host: `127.0.0.1:${agent.port}`, bearer: `Bearer ${agent.token}`, close: () => agent.close() };
}

/** Where a raw request goes: the TCP port on 127.0.0.1, or a unix socket path. */
export type Target = { port: number } | { socketPath: string };

/** A response read off the wire. */
export interface RawResponse {
  /** The final (non-1xx) status, or null when none arrived. */
  status: number | null;
  /** Header lines in order, names in lower case (duplicates kept). */
  headers: Array<[string, string]>;
  body: string;
  /** Milliseconds from the first byte written until the response was complete or the connection closed. */
  ms: number;
  /** True when the server closed (or reset) the connection before the test gave up. */
  closed: boolean;
}

/** The first value of a header, or undefined. */
export function header(response: RawResponse, name: string): string | undefined {
  return response.headers.find(([key]) => key === name)?.[1];
}

/** The parsed JSON body of a response. */
export function jsonBody<T = { error: { code: string; message: string; hint?: string; reason?: string; status?: number } }>(response: RawResponse): T {
  return JSON.parse(response.body) as T;
}

function openSocket(target: Target): Socket {
  return 'port' in target ? connect({ host: '127.0.0.1', port: target.port }) : connect({ path: target.socketPath });
}

/** Parses every complete response in `data`; returns the final one once its body is complete. */
function parseResponse(data: Buffer, bodiless: boolean): Omit<RawResponse, 'ms' | 'closed'> | null {
  let offset = 0;
  for (;;) {
    const headEnd = data.indexOf('\r\n\r\n', offset);
    if (headEnd < 0) return null;
    const lines = data.subarray(offset, headEnd).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? NaN);
    const headers = lines.slice(1).map((line): [string, string] => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    });
    if (status >= 100 && status < 200) {
      offset = headEnd + 4;
      continue;
    }
    // A response to HEAD declares a length but carries no body (RFC 9110 section 9.3.2).
    const length = bodiless ? 0 : Number(headers.find(([key]) => key === 'content-length')?.[1] ?? NaN);
    const bodyStart = headEnd + 4;
    if (!Number.isNaN(length) && data.length < bodyStart + length) return null;
    const body = data.subarray(bodyStart, Number.isNaN(length) ? data.length : bodyStart + length).toString('utf8');
    return { status: Number.isNaN(status) ? null : status, headers, body };
  }
}

/**
 * Writes `chunks` to a fresh connection (a function chunk is awaited, for pauses) and reads the
 * response: complete when its declared body has arrived, or at close, or once the bytes received
 * satisfy `until` (for a stream that never completes). Nothing here waits on a timer.
 */
export function rawExchange(target: Target, chunks: Array<string | Buffer | (() => Promise<void>)>, options: { until?: (received: string) => boolean; head?: boolean } = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = openSocket(target);
    let data = Buffer.alloc(0);
    let started = 0;
    let finished = false;
    const finish = (closed: boolean): void => {
      if (finished) return;
      finished = true;
      const parsed = parseResponse(data, options.head === true);
      socket.destroy();
      resolve({ status: parsed?.status ?? null, headers: parsed?.headers ?? [], body: parsed?.body ?? '', ms: performance.now() - started, closed });
    };
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const parsed = parseResponse(data, options.head === true);
      if (parsed !== null && header({ ...parsed, ms: 0, closed: false }, 'content-length') !== undefined) finish(false);
      else if (options.until?.(data.toString('latin1')) === true) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.once('connect', async () => {
      started = performance.now();
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        if (typeof chunk === 'function') await chunk();
        else socket.write(chunk);
      }
    });
  });
}

/** A request as the test writes it: method, target, header lines (in order, duplicates allowed) and body. */
export interface RawRequest {
  method?: string;
  target: string;
  headers: Array<[string, string]>;
  body?: string | Buffer;
}

/** The bytes of an HTTP/1.1 request, with Content-Length added when there is a body. */
export function requestBytes(request: RawRequest): Buffer {
  const lines = [`${request.method ?? 'GET'} ${request.target} HTTP/1.1`, ...request.headers.map(([name, value]) => `${name}: ${value}`)];
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  if (request.body !== undefined && !request.headers.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name))) {
    lines.push(`Content-Length: ${body.length}`);
  }
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body]);
}

/** Sends one raw request and reads its response. */
export function send(target: Target, request: RawRequest, options: { until?: (received: string) => boolean } = {}): Promise<RawResponse> {
  return rawExchange(target, [requestBytes(request)], { ...options, head: request.method === 'HEAD' });
}

/** An honest request's headers over TCP: the agent's own Host, the token, and a client name. */
export function honestHeaders(agent: TestAgent, extra: Array<[string, string]> = []): Array<[string, string]> {
  return [['Host', agent.host], ['Authorization', agent.bearer], ['X-Latchkey-Client', 'agent-tests'], ...extra];
}

/** Starts an agent in another process (agent-process.ts) and waits until it listens; `cleanups` gets what ends it. */
export async function agentProcess(home: string, cleanups: Array<() => Promise<void> | void>): Promise<{ pid: number; socket: string }> {
  const script = new URL('./agent-process.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, [script, home, join(home, 'run')], { stdio: ['pipe', 'pipe', 'inherit'] });
  cleanups.push(() => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.stdin?.end();
  }));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`agent process exited with ${code}`)));
  });
  return JSON.parse(line) as { pid: number; socket: string };
}
