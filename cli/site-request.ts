import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { LatchkeyError } from '../core/common/errors.ts';
import { loopbackAwareLookup } from '../core/net/loopback-lookup.ts';

/** A site's answer, buffered. */
export interface SiteResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What to send to the site. */
export interface SiteRequestInit {
  method: string;
  headers: Record<string, string>;
  body: Buffer | null;
  signal?: AbortSignal;
}

/**
 * Sends one request to a site and buffers the answer. Redirects are not followed (a redirect could
 * carry the session's headers to another host); certificates are checked as always.
 */
export async function requestSite(url: URL, init: SiteRequestInit): Promise<SiteResponse> {
  // node:https brings TLS and crypto: loaded only when a site needs it, not by every command.
  const send = url.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  const headers = { ...init.headers };
  if (init.body !== null) headers['Content-Length'] = String(init.body.length);
  return new Promise((resolve, reject) => {
    const req = send(url, { method: init.method, headers, lookup: loopbackAwareLookup, ...(init.signal ? { signal: init.signal } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', reject);
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.once('error', (error: NodeJS.ErrnoException) => {
      if (init.signal?.aborted) {
        reject(init.signal.reason);
        return;
      }
      reject(new LatchkeyError('site_request_failed', `Could not reach ${url.origin}: ${error.code ?? error.message}.`, { cause: error }));
    });
    req.end(init.body ?? undefined);
  });
}
