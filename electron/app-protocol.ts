import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { appScheme } from './common/app-origin.ts';
import { appContentSecurityPolicy, contentTypeOf, resolveAppFile } from './common/app-files.ts';

/**
 * Declares `app:` a standard, secure scheme. Must run before the app is ready, and only once:
 * standard gives the renderer a real origin (`app://latchkey`) for relative URLs, storage and
 * the IPC sender check; secure makes it a secure context, as https would.
 * See https://www.electronjs.org/docs/latest/api/protocol#protocolregisterschemesasprivilegedcustomschemes
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': "default-src 'none'" } });
}

/**
 * Serves the built renderer (`rootDir`, Vite's output) on `app://latchkey/`, for the default
 * session only: the login windows have partitions of their own, where `app:` does not exist, so
 * a login page can never load or frame the app. Every response carries the app's CSP, and
 * nothing outside `rootDir` can be named.
 * See https://www.electronjs.org/docs/latest/tutorial/security#18-avoid-usage-of-the-file-protocol-and-prefer-usage-of-custom-protocols
 */
export function serveRenderer(rootDir: string): void {
  protocol.handle(appScheme, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const file = resolveAppFile(rootDir, request.url);
    const type = file === null ? null : contentTypeOf(file);
    if (file === null || type === null) return plain(404, 'Not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return plain(404, 'Not found');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': type,
        'Content-Security-Policy': appContentSecurityPolicy,
        'X-Content-Type-Options': 'nosniff',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      },
    });
  });
}
