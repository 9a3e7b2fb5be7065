import { ProxiedCallError } from '../net/http-call.ts';
import { certificateProblem } from '../net/tls-failure.ts';
import type { LoginContext } from './login-strategy.ts';
import { failLogin } from './login-step-error.ts';
import { safeUrl } from './safe-url.ts';

/** An answer of a JSON endpoint: the status and the parsed body (undefined when it was not JSON). */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

// One call may take this long; the login's own deadline (the context's signal) can end it sooner.
const callTimeoutMs = 15_000;
const maxAnswerBytes = 1024 * 1024;

/**
 * Sends one request from Node to the identity provider or the site (`*.localhost` resolved as
 * browsers do) and parses a JSON answer. Redirects are not followed. An unreachable host ends the
 * login `network_error`; the login's deadline passing ends it `timeout`. `what` names the endpoint
 * in reasons, e.g. "The token endpoint".
 */
export async function callJson(
  url: string,
  request: { method?: 'GET' | 'POST' | 'PUT'; form?: URLSearchParams; json?: unknown },
  context: LoginContext,
  what: string,
): Promise<JsonAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (request.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = request.form.toString();
  } else if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  }
  let answer;
  try {
    answer = await context.http(url, { method: request.method ?? 'GET', headers, body, timeoutMs: callTimeoutMs, maxBytes: maxAnswerBytes, signal: context.signal });
  } catch (error) {
    if (context.signal.aborted) failLogin({ ending: 'timeout', reason: `${what} (${safeUrl(url)}) did not answer before the login's time ran out.` });
    const certificate = certificateProblem(error);
    if (certificate !== null) failLogin({ ending: 'tls_error', reason: `The certificate of ${new URL(url).host} was refused: ${certificate} (${what}).` });
    const detail = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'no answer';
    const through = error instanceof ProxiedCallError ? ` through the proxy ${error.proxy}` : '';
    failLogin({ ending: 'network_error', reason: `${what} (${safeUrl(url)}) could not be reached${through} (${detail}).` });
  }
  // RFC 9110 section 15.5.8: the proxy, not the site, wants credentials.
  if (answer.status === 407) failLogin({ ending: 'http_error', status: 407, reason: `The proxy asked for credentials to reach ${safeUrl(url)} (HTTP 407); give them in the proxy URL (http://user:password@host:port).` });
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  return { status: answer.status, body: parsed };
}

/** The body as a JSON object, or an `incomplete` ending that says `what` answered something else. */
export function jsonObject(answer: JsonAnswer, what: string): Record<string, unknown> {
  const { body } = answer;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) failLogin({ ending: 'incomplete', reason: `${what} did not answer with a JSON object.` });
  return body as Record<string, unknown>;
}

/** An OAuth `error` code from an error answer, when it is one (RFC 6749 section 5.2 limits its characters), else null. */
export function oauthErrorCode(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const code = (body as Record<string, unknown>)['error'];
  return typeof code === 'string' && /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,64}$/.test(code) ? code : null;
}
