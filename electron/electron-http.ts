import { net, session as sessions } from 'electron';
import type { HttpPort } from '../core/net/engine-http.ts';
import { proxyCredentials } from './proxy-credentials.ts';
import type { HttpAnswer } from '../core/net/http-call.ts';

/**
 * The engine's HTTP calls in the desktop app, on Chromium's network stack (Electron's `net`): the
 * system's proxy settings (PAC files included), its trust store and its proxy credentials apply as
 * in the login windows, so a login that succeeds in the window does not fail in the token call
 * after it. A partition of its own, in memory: the engine's calls carry no cookie of any window,
 * and keep none. Redirects are answered, not followed, as by Node's port: callers decide where
 * one may lead.
 */
export function electronHttp(): HttpPort {
  const partition = sessions.fromPartition('latchkey-engine', { cache: false });
  return (url, call = {}) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') return reject(new TypeError(`not an http(s) URL: ${target.protocol}`));
      const request = net.request({ url, method: call.method ?? 'GET', session: partition, redirect: 'manual', credentials: 'omit', cache: 'no-store' });
      for (const [name, value] of Object.entries(call.headers ?? {})) request.setHeader(name, value);
      const maxBytes = call.maxBytes ?? 16 * 1024 * 1024;
      const timeoutMs = call.timeoutMs ?? 30_000;
      let settled = false;
      const finish = (settle: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        call.signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const fail = (error: Error): void => {
        request.abort();
        finish(() => reject(error));
      };
      const onAbort = (): void => fail(call.signal?.reason instanceof Error ? call.signal.reason : new Error('aborted'));
      // Electron's own timeout is for the whole exchange; this one, like Node's port, for silence.
      let timer: NodeJS.Timeout | undefined;
      const quiet = (): void => {
        clearTimeout(timer);
        if (timeoutMs > 0) timer = setTimeout(() => fail(Object.assign(new Error(`${target.origin} did not answer in time`), { code: 'ETIMEDOUT' })), timeoutMs);
      };
      quiet();
      if (call.signal?.aborted === true) return onAbort();
      call.signal?.addEventListener('abort', onAbort, { once: true });
      // A proxy that wants credentials gets those the person gave it in a login window (this run
      // only); once, so a refused answer is not sent again. A server's challenge is never answered here.
      let answeredProxy = false;
      request.on('login', (authInfo, callback) => {
        const known = authInfo.isProxy && !answeredProxy ? proxyCredentials(authInfo.host, authInfo.port) : undefined;
        answeredProxy = true;
        if (known === undefined) callback();
        else callback(known.username, known.password);
      });
      request.on('redirect', (statusCode, _method, redirectUrl, responseHeaders) => {
        request.abort();
        finish(() => resolve({ status: statusCode, statusText: '', headers: { ...flatten(responseHeaders), location: redirectUrl }, body: Buffer.alloc(0) }));
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          quiet();
          size += chunk.length;
          if (size > maxBytes) fail(new Error(`the answer from ${target.origin} is larger than ${maxBytes} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () => finish(() => resolve({ status: response.statusCode, statusText: response.statusMessage, headers: flatten(response.headers), body: Buffer.concat(chunks) })));
        response.on('error', () => fail(new Error(`the answer from ${target.origin} broke off`)));
      });
      // Chromium's net error names (net::ERR_CERT_AUTHORITY_INVALID, …) go on as the error's code.
      request.on('error', (error) => fail(Object.assign(error, { code: /net::(ERR_[A-Z_]+)/.exec(error.message)?.[1] })));
      request.end(call.body);
    });
}

/** Electron gives multi-valued headers as arrays; the engine reads the first of a repeated header, as Node gives them joined. */
function flatten(headers: Record<string, string | string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value]));
}
