import type { AgentDiscovery } from '../../core/common/discovery.ts';
import { LatchkeyError } from '../../core/common/errors.ts';
import type { AgentRequest } from '../../core/common/request.ts';
import { agentNotRunning } from './agent-not-running.ts';
import { readReplyHead, type ReplyHead } from './reply-head.ts';

/** An agent's reply: its status and parsed JSON body. */
export interface AgentReply {
  status: number;
  body: unknown;
}

/** Where and how a client reaches one agent. */
export interface AgentRoute {
  discovery: AgentDiscovery;
  /** The discovery file it came from, for messages. */
  discoveryPath: string;
  /** The client's name for `X-Latchkey-Client`. */
  client: string;
  /** Aborted (and replaced) when the client is closed: it ends the exchanges under way. */
  calls: AbortController;
}

type Target = { kind: 'unix'; socketPath: string } | { kind: 'tcp'; port: number };

/** A failed exchange, with the system error's code (a connect error means nothing was sent). */
class ExchangeFailure extends Error {
  readonly code: string | undefined;

  constructor(cause: unknown) {
    super('exchange failed', { cause });
    this.code = (cause as NodeJS.ErrnoException | null)?.code;
  }
}

// Errors that can only happen while connecting: nothing was sent, so the other transport may be tried.
const connectErrors = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'ENOTDIR', 'EACCES', 'EPERM', 'ENAMETOOLONG']);

// A session with its cookies is a few kilobytes and the site list grows with the sites; anything
// near this is not the agent.
const maxReplyBytes = 16 * 1024 * 1024;

function requestHead(route: AgentRoute, request: AgentRequest): string {
  const lines = [
    `${request.method} ${request.target} HTTP/1.1`,
    // The exact Host the agent accepts on both transports (docs/ARCHITECTURE.md, "The agent API"); never a name.
    `Host: 127.0.0.1:${route.discovery.port}`,
    `Authorization: Bearer ${route.discovery.token}`,
    `X-Latchkey-Client: ${route.client}`,
    'Accept: application/json',
    // One exchange per connection: no pool to keep, and no race with the agent closing an idle one.
    'Connection: close',
  ];
  if (request.body !== null) lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(request.body)}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

function notAgentReply(detail: string): LatchkeyError {
  return new LatchkeyError('internal', `The agent's answer ${detail}.`);
}

function parseReply(head: ReplyHead, body: Buffer): AgentReply {
  try {
    return { status: head.status, body: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    throw new LatchkeyError('internal', `The agent answered ${head.status} with something that is not JSON.`);
  }
}

/**
 * One request on a connection of its own, over `node:net`: the agent always answers with a
 * Content-Length (core/agent/json-response.ts), so reading the reply needs no more of HTTP than
 * reply-head.ts reads, and `node:http` stays unloaded (loading it added some 8 ms to
 * every `latchkey token` on the machines this was measured on).
 */
function exchange(route: AgentRoute, target: Target, request: AgentRequest, signal: AbortSignal | undefined): Promise<AgentReply> {
  return new Promise((resolve, reject) => {
    // Either ends the exchange: the caller giving up, or the client being closed (close()).
    const stops = signal === undefined ? [route.calls.signal] : [signal, route.calls.signal];
    const stopped = stops.find((stop) => stop.aborted);
    if (stopped !== undefined) {
      reject(stopped.reason);
      return;
    }
    // Loaded here, not imported: help, `--version` and usage mistakes never need node:net.
    const { createConnection } = process.getBuiltinModule('node:net') as typeof import('node:net');
    const socket = target.kind === 'unix' ? createConnection(target.socketPath) : createConnection(target.port, '127.0.0.1');
    // The head is read from the bytes so far (a head over 16 KiB is refused); the body is kept in
    // its chunks and joined once, so a large reply costs one copy, not one per chunk.
    let received: Buffer = Buffer.alloc(0);
    const body: Buffer[] = [];
    let bodyBytes = 0;
    let head: ReplyHead | null = null;
    let settled = false;
    const onAbort = (event: Event): void => finish(() => reject((event.target as AbortSignal).reason));
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      for (const stop of stops) stop.removeEventListener('abort', onAbort);
      socket.destroy();
      settle();
    };
    for (const stop of stops) stop.addEventListener('abort', onAbort, { once: true });

    const onData = (chunk: Buffer): void => {
      let part = chunk;
      if (head === null) {
        received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
        const read = readReplyHead(received);
        if (read === 'incomplete') return;
        if (read === 'invalid') return finish(() => reject(notAgentReply('is not HTTP')));
        head = read;
        part = received.subarray(head.bodyStart);
      }
      const length = head.contentLength;
      if (length === null) return finish(() => reject(notAgentReply(`${head?.status} carries no Content-Length`)));
      if (length > maxReplyBytes) return finish(() => reject(notAgentReply('is too large')));
      // Bounded by the declared length (refused above the limit) plus one chunk.
      body.push(part);
      bodyBytes += part.length;
      if (bodyBytes >= length) {
        const whole = head;
        const bytes = Buffer.concat(body, bodyBytes).subarray(0, length);
        finish(() => {
          try {
            resolve(parseReply(whole, bytes));
          } catch (error) {
            reject(error);
          }
        });
      }
    };
    socket.on('data', onData);
    // After 'error' this changes nothing; alone it is the agent ending the connection early, or close().
    socket.once('close', () => finish(() => reject(new ExchangeFailure(Object.assign(new Error('closed before a whole answer'), { code: 'ECONNRESET' })))));
    socket.once('error', (error) => finish(() => reject(new ExchangeFailure(error))));
    // Written at once: the socket holds it until connected. Not `end()`: the agent takes a closed
    // side as the caller going away, and stops waiting for a login on its behalf.
    socket.write(requestHead(route, request) + (request.body ?? ''));
  });
}

// The errors of requests that never reached an agent: nothing ran, so one may be sent again.
const unsent = new WeakSet<object>();

/** True when `error` is an `agent_not_running` of a request that no agent received (so retrying it runs nothing twice). */
export function neverReachedAgent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && unsent.has(error);
}

/** What a failed exchange means to the caller: the agent is not there, or it went away mid-request. */
function failureError(error: unknown, route: AgentRoute): unknown {
  if (!(error instanceof ExchangeFailure)) return error;
  const { discovery, discoveryPath } = route;
  if (connectErrors.has(error.code ?? '')) {
    const notThere = agentNotRunning(`The Latchkey agent announced in ${discoveryPath} (pid ${discovery.pid}) does not answer.`, error.cause);
    unsent.add(notThere);
    return notThere;
  }
  return agentNotRunning(`The Latchkey agent (pid ${discovery.pid}) closed the connection before answering; it may have stopped.`, error.cause);
}

/**
 * Sends a request to the agent: over its unix socket when it has one, else (or when nothing
 * listens there) over TCP on 127.0.0.1. Nothing answering on either is `agent_not_running`.
 */
export async function sendAgentRequest(route: AgentRoute, request: AgentRequest, signal?: AbortSignal): Promise<AgentReply> {
  const { discovery } = route;
  if (discovery.socket) {
    try {
      return await exchange(route, { kind: 'unix', socketPath: discovery.socket }, request, signal);
    } catch (error) {
      // Only a failure to connect falls back to TCP: then nothing was sent, so nothing runs twice.
      if (!(error instanceof ExchangeFailure && connectErrors.has(error.code ?? ''))) throw failureError(error, route);
    }
  }
  try {
    return await exchange(route, { kind: 'tcp', port: discovery.port }, request, signal);
  } catch (error) {
    throw failureError(error, route);
  }
}
