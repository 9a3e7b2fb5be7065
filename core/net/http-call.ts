import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import type { SecureContext } from 'node:tls';
import { describeProxy } from './proxy-config.ts';
import { trustedContext } from './trust-store.ts';
import { loopbackAwareLookup } from './loopback-lookup.ts';

/** An HTTP answer, buffered. */
export interface HttpAnswer {
  status: number;
  /** The reason phrase the server sent: its own words (clean it before showing it). */
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What to send. */
export interface HttpCall {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Milliseconds of silence after which the call is abandoned (default 30 s; 0: none). */
  timeoutMs?: number;
  /** Send it over this unix socket instead of TCP (the agent's, to probe it). */
  socketPath?: string;
  /** Largest answer accepted, in bytes. */
  maxBytes?: number;
  signal?: AbortSignal;
  /** Go through this HTTP(S) proxy (CONNECT for https targets); null or absent: direct. */
  proxy?: URL | null;
}

/** A call that failed on its way through a proxy: the proxy, as it may be shown (no credentials). */
export class ProxiedCallError extends Error {
  readonly proxy: string;
  readonly code: string | undefined;

  constructor(proxy: URL, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | null)?.code;
    super(`the call through the proxy ${describeProxy(proxy)} failed (${code ?? 'no answer'})`, { cause });
    this.name = 'ProxiedCallError';
    this.proxy = describeProxy(proxy);
    this.code = code;
  }
}

/** The agent that sends a request through `proxy`, loaded only when a proxy is set. */
async function proxyAgent(target: URL, proxy: URL): Promise<Agent> {
  if (target.protocol === 'https:') {
    const { HttpsProxyAgent } = await import('https-proxy-agent');
    return new HttpsProxyAgent(proxy);
  }
  const { HttpProxyAgent } = await import('http-proxy-agent');
  return new HttpProxyAgent(proxy);
}

/**
 * One HTTP(S) request from Node to a site or identity provider (the engine's, and `latchkey api`'s),
 * with `*.localhost` resolved to loopback. Redirects are not followed: callers decide where a
 * redirect may lead. TLS certificates are always verified.
 */
export async function httpCall(url: string, call: HttpCall = {}): Promise<HttpAnswer> {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${target.protocol}`);
  const proxy = call.proxy ?? null;
  if (proxy === null) return send(target, call, undefined);
  try {
    return await send(target, call, await proxyAgent(target, proxy));
  } catch (error) {
    if (call.signal?.aborted === true) throw error;
    throw new ProxiedCallError(proxy, error);
  }
}

/** The trust store of https calls: Node's and the system's (trust-store.ts). */
function trusted(): { secureContext?: SecureContext } {
  const secureContext = trustedContext();
  return secureContext === undefined ? {} : { secureContext };
}

function send(target: URL, call: HttpCall, agent: Agent | undefined): Promise<HttpAnswer> {
  // node:https brings TLS: loaded when a call needs it, not with this module.
  const send = target.protocol === 'https:' ? (process.getBuiltinModule('node:https') as typeof import('node:https')).request : httpRequest;
  const maxBytes = call.maxBytes ?? 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: call.method ?? 'GET',
        headers: call.headers,
        lookup: loopbackAwareLookup,
        ...(agent === undefined ? {} : { agent }),
        ...(target.protocol === 'https:' ? trusted() : {}),
        timeout: call.timeoutMs ?? 30_000,
        ...(call.socketPath === undefined ? {} : { socketPath: call.socketPath }),
        ...(call.signal ? { signal: call.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) req.destroy(new Error(`the answer from ${target.origin} is larger than ${maxBytes} bytes`));
          else chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    if ((call.timeoutMs ?? 30_000) > 0) req.on('timeout', () => req.destroy(new Error(`${target.origin} did not answer in time`)));
    req.on('error', reject);
    req.end(call.body);
  });
}
