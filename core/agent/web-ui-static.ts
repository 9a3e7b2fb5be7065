import { readFile } from '../fs-calls.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

/**
 * Headers on every response under `/ui/`. The policy allows only the agent's own files: no inline
 * script or style, no framing (clickjacking), no `<base>` rewrite, and connections only back to
 * the agent. Referrers are never sent, so no URL of the UI reaches another server.
 */
export const uiSecurityHeaders: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
});

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// A file name the build produces: no dot first (so no `..`), no separator, no escape.
const segmentShape = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Escaped text with its `backquoted` commands set as code. */
function withCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): number {
  res.writeHead(status, { ...uiSecurityHeaders, ...headers, 'content-length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
  return status;
}

/** Answers with a short page that tells the person what to do (an expired link, a missing build). Returns the status. */
export function sendUiNotice(req: IncomingMessage, res: ServerResponse, status: number, title: string, text: string): number {
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Latchkey</title></head>` +
    `<body><h1>${escapeHtml(title)}</h1><p>${withCode(text)}</p></body></html>`;
  return send(req, res, status, { 'content-type': contentTypes['.html'] ?? 'text/html', 'cache-control': 'no-store' }, Buffer.from(html, 'utf8'));
}

/** Redirects within the UI; `location` is a path of the agent's own, never a URL taken from the request. */
export function sendUiRedirect(res: ServerResponse, status: 303 | 308, location: string, headers: Record<string, string> = {}): number {
  res.writeHead(status, { ...uiSecurityHeaders, ...headers, location, 'cache-control': 'no-store', 'content-length': '0' });
  res.end();
  return status;
}

/**
 * Serves one file of the renderer build. `rest` is the path after `/ui/` (empty for the page);
 * only names the build produces are looked up, one folder deep, so no request can walk out of
 * `dir`. The page is never cached; hashed assets may be, since a new build gets new names.
 */
export async function serveUiFile(req: IncomingMessage, res: ServerResponse, dir: string, rest: string): Promise<number> {
  const segments = rest === '' ? ['index.html'] : rest.split('/');
  const type = contentTypes[extname(segments.at(-1) ?? '')];
  if (segments.length > 2 || !segments.every((segment) => segmentShape.test(segment)) || type === undefined) {
    return sendUiNotice(req, res, 404, 'Not found', 'The Latchkey UI has no such page.');
  }
  let body: Buffer;
  try {
    body = await readFile(join(dir, ...segments));
  } catch {
    if (rest === '') {
      return sendUiNotice(req, res, 503, 'The UI is not built', 'Run `npm run build:renderer` in the Latchkey folder, then `latchkey ui` again.');
    }
    return sendUiNotice(req, res, 404, 'Not found', 'The Latchkey UI has no such page.');
  }
  const hashed = segments.length === 2 && segments[0] === 'assets';
  return send(req, res, 200, { 'content-type': type, 'cache-control': hashed ? 'private, max-age=31536000, immutable' : 'no-store' }, body);
}
