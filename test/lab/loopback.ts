import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request } from 'node:http';

// Chromium resolves `localhost` and every `*.localhost` name to loopback by itself (RFC 6761
// section 6.3), but Node asks the system resolver, which here knows only `localhost`. Lab hosts
// such as `idp.localhost` are therefore reached from Node through this lookup, which keeps the
// real host name in the URL and the Host header.

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `dns.lookup`-compatible function that maps `localhost` and `*.localhost` to 127.0.0.1. */
export function loopbackLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name !== 'localhost' && !name.endsWith('.localhost')) {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) callback(error, []);
      else if (options.all === true) callback(null, addresses);
      else callback(null, addresses[0]?.address ?? '', addresses[0]?.family);
    });
    return;
  }
  // The lab listens on IPv4 loopback only.
  if (options.all === true) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
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
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, lookup: loopbackLookup }, (res) => {
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
