import { LatchkeyError } from '../core/common/errors.ts';
import { httpCall, type HttpAnswer } from '../core/net/http-call.ts';

/** What to send to the site. */
export interface SiteRequestInit {
  method: string;
  headers: Record<string, string>;
  body: Buffer | null;
  signal?: AbortSignal;
}

/**
 * Sends one request to a site with the engine's HTTP call (no redirect followed: one could carry
 * the session's headers to another host; certificates checked as always) and no time limit of
 * its own: the person ends a call that hangs. A site that cannot be reached is `site_request_failed`.
 */
export async function requestSite(url: URL, init: SiteRequestInit): Promise<HttpAnswer> {
  const headers = { ...init.headers };
  if (init.body !== null) headers['Content-Length'] = String(init.body.length);
  try {
    return await httpCall(url.href, { method: init.method, headers, timeoutMs: 0, ...(init.body === null ? {} : { body: init.body }), ...(init.signal ? { signal: init.signal } : {}) });
  } catch (error) {
    if (init.signal?.aborted === true) throw init.signal.reason;
    const code = (error as NodeJS.ErrnoException).code;
    throw new LatchkeyError('site_request_failed', `Could not reach ${url.origin}: ${code ?? (error instanceof Error ? error.message : 'unknown error')}.`, { cause: error });
  }
}
