import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { AgentError, agentNotRunning } from './agent-error.ts';
import type { AgentRequest } from './agent-request.ts';
import type { AgentDiscovery } from './discovery.ts';

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
  /** Keep-alive pools, one per transport, owned by the client. */
  unixPool: Agent;
  tcpPool: Agent;
}

type Target = { kind: 'unix'; socketPath: string } | { kind: 'tcp'; port: number };

/** A failed exchange, with whether it failed on a pooled keep-alive connection the agent had just closed. */
class ExchangeFailure extends Error {
  readonly reused: boolean;
  readonly code: string | undefined;

  constructor(cause: unknown, reused: boolean) {
    super('exchange failed', { cause });
    this.reused = reused;
    this.code = (cause as NodeJS.ErrnoException | null)?.code;
  }
}

// Errors that can only happen while connecting: nothing was sent, so the other transport may be tried.
const connectErrors = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'ENOTDIR', 'EACCES', 'EPERM', 'ENAMETOOLONG']);

function readReply(res: IncomingMessage): Promise<AgentReply> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.once('error', reject);
    res.once('end', () => {
      const status = res.statusCode ?? 0;
      try {
        resolve({ status, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        reject(new AgentError('internal', `The agent answered ${status} with something that is not JSON.`, { httpStatus: status }));
      }
    });
  });
}

function exchange(route: AgentRoute, target: Target, request: AgentRequest, signal: AbortSignal | undefined): Promise<AgentReply> {
  const { discovery } = route;
  const headers: Record<string, string> = {
    // The exact Host the agent accepts on both transports (DESIGN.md section 5); never a name.
    host: `127.0.0.1:${discovery.port}`,
    authorization: `Bearer ${discovery.token}`,
    'x-latchkey-client': route.client,
    accept: 'application/json',
  };
  if (request.body !== null) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(request.body));
  }
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const where = target.kind === 'unix' ? { socketPath: target.socketPath, agent: route.unixPool } : { host: '127.0.0.1', port: target.port, agent: route.tcpPool };
    const req = httpRequest({ ...where, method: request.method, path: request.target, headers });
    const onAbort = (): void => {
      req.destroy();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => signal?.removeEventListener('abort', onAbort);
    req.once('response', (res) => {
      readReply(res).then(
        (reply) => {
          settle();
          resolve(reply);
        },
        (error: unknown) => {
          settle();
          reject(error instanceof AgentError ? error : new ExchangeFailure(error, false));
        },
      );
    });
    req.once('error', (error) => {
      settle();
      reject(new ExchangeFailure(error, req.reusedSocket));
    });
    req.end(request.body ?? undefined);
  });
}

/** One exchange, repeated once when a pooled connection turned out to be closed (Node's documented keep-alive race). */
async function exchangeWithRetry(route: AgentRoute, target: Target, request: AgentRequest, signal: AbortSignal | undefined): Promise<AgentReply> {
  try {
    return await exchange(route, target, request, signal);
  } catch (error) {
    if (error instanceof ExchangeFailure && error.reused && error.code === 'ECONNRESET') return exchange(route, target, request, signal);
    throw error;
  }
}

/** What a failed exchange means to the caller: the agent is not there, or it went away mid-request. */
function failureError(error: unknown, route: AgentRoute): unknown {
  if (!(error instanceof ExchangeFailure)) return error;
  const { discovery, discoveryPath } = route;
  if (connectErrors.has(error.code ?? '')) {
    return agentNotRunning(`The Latchkey agent announced in ${discoveryPath} (pid ${discovery.pid}) does not answer.`, error.cause);
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
      return await exchangeWithRetry(route, { kind: 'unix', socketPath: discovery.socket }, request, signal);
    } catch (error) {
      // Only a failure to connect falls back to TCP: then nothing was sent, so nothing runs twice.
      if (!(error instanceof ExchangeFailure && connectErrors.has(error.code ?? ''))) throw failureError(error, route);
    }
  }
  try {
    return await exchangeWithRetry(route, { kind: 'tcp', port: discovery.port }, request, signal);
  } catch (error) {
    throw failureError(error, route);
  }
}
