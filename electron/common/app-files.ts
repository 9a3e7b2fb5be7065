import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { appHost, appScheme } from './app-origin.ts';

/**
 * The app window's Content-Security-Policy, sent as a header with every renderer file: the
 * built React app needs only its own scripts, styles, images and fonts; it talks to the engine
 * through the preload, never over the network, and it may not be framed or framing.
 * See https://www.electronjs.org/docs/latest/tutorial/security#7-define-a-content-security-policy
 */
export const appContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'none'",
  "manifest-src 'self'",
  "media-src 'none'",
  "object-src 'none'",
  "worker-src 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
  "base-uri 'none'",
].join('; ');

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type of a renderer file, or null for a kind the renderer never ships (not served). */
export function contentTypeOf(path: string): string | null {
  return contentTypes[extname(path).toLowerCase()] ?? null;
}

/**
 * The file under `rootDir` that an `app://latchkey/...` request names, or null when the request
 * is for another host, is malformed, or would leave `rootDir` (`..`, encoded slashes or
 * backslashes, NUL bytes). `/` is the index page.
 * See https://www.electronjs.org/docs/latest/api/protocol#protocolhandlescheme-handler
 */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${appScheme}:` || url.host !== appHost || url.username !== '' || url.password !== '') return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (path === '' || path === '/') path = '/index.html';
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((segment) => segment === '..' || segment === '.')) return null;
  const root = resolve(rootDir);
  const file = resolve(root, `.${path}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return null;
  return file;
}
