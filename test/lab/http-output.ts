import type { ServerResponse } from 'node:http';

const contentTypes = { html: 'text/html; charset=utf-8', json: 'application/json', text: 'text/plain; charset=utf-8' } as const;

/** Sends a whole answer that no cache keeps. */
export function send(res: ServerResponse, status: number, type: keyof typeof contentTypes, body: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { 'content-type': contentTypes[type], 'cache-control': 'no-store', ...headers });
  res.end(body);
}

/** Sends a 302 to `location`. */
export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(302, { location, 'cache-control': 'no-store', ...headers });
  res.end();
}
