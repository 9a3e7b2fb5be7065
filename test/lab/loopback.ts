import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import { loopbackAwareLookup } from '../../core/net/loopback-lookup.ts';

// Chromium resolves `localhost` and every `*.localhost` name to loopback by itself (RFC 6761
// section 6.3), but Node asks the system resolver, which here knows only `localhost`. Lab hosts
// such as `idp.localhost` are therefore reached from Node through Latchkey's own lookup, which
// keeps the real host name in the URL and the Host header.

/** A `dns.lookup`-compatible function that maps `localhost` and `*.localhost` to 127.0.0.1. */
export const loopbackLookup = loopbackAwareLookup;

// The CA of lab servers that a test started over HTTPS (its own, made at test time): the lab's
// sites trust it for their calls to the identity provider, as a company's servers trust its CA.
let labCa: string | Buffer | undefined;

/** Makes the lab's own calls trust `ca` (PEM) besides Node's roots, or stop (undefined). */
export function trustLabCa(ca: string | Buffer | undefined): void {
  labCa = ca;
}

/** What `requestLoopback` returns: the whole answer, buffered. */
export interface LoopbackResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends one HTTP request to a lab URL (any `*.localhost` host) and buffers the answer; redirects are not followed. */
export function requestLoopback(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<LoopbackResponse> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? requestTls : request;
    const req = send(url, { method: init.method ?? 'GET', headers: init.headers, lookup: loopbackLookup, ...(labCa === undefined ? {} : { ca: labCa }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
