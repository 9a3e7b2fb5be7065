import { LatchkeyError } from '../core/common/errors.ts';
import { httpCall, ProxiedCallError, type HttpAnswer } from '../core/net/http-call.ts';
import { describeProxy } from '../core/net/proxy-config.ts';
import { certificateProblem } from '../core/net/tls-failure.ts';

/** What to send to the site. */
export interface SiteRequestInit {
  method: string;
  headers: Record<string, string>;
  body: Buffer | null;
  signal?: AbortSignal;
  /** The proxy the settings name for this URL, or null (direct). */
  proxy: URL | null;
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
    const answer = await httpCall(url.href, {
      method: init.method,
      headers,
      timeoutMs: 0,
      proxy: init.proxy,
      ...(init.body === null ? {} : { body: init.body }),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    if (answer.status === 407 && init.proxy !== null) {
      throw new LatchkeyError('site_request_failed', `The proxy ${describeProxy(init.proxy)} asked for credentials to reach ${url.origin} (HTTP 407).`, {
        hint: 'Give them in the proxy URL: http://user:password@host:port.',
      });
    }
    return answer;
  } catch (error) {
    if (init.signal?.aborted === true) throw init.signal.reason;
    if (error instanceof LatchkeyError) throw error;
    const certificate = certificateProblem(error);
    if (certificate !== null) {
      throw new LatchkeyError('site_request_failed', `The certificate of ${url.host} was refused: ${certificate}.`, {
        hint: "Install your company's CA in the system's trust store, or name its file in NODE_EXTRA_CA_CERTS.",
        cause: error,
      });
    }
    const code = (error as NodeJS.ErrnoException).code;
    const through = error instanceof ProxiedCallError ? ` through the proxy ${error.proxy}` : '';
    throw new LatchkeyError('site_request_failed', `Could not reach ${url.origin}${through}: ${code ?? (error instanceof Error ? error.message : 'unknown error')}.`, { cause: error });
  }
}
