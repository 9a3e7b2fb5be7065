import { registerSecret } from '../secrets.ts';
import type { Site } from '../sites/site.ts';
import type { TokenExchange } from '../common/profile.ts';
import type { LoginContext } from './login-strategy.ts';
import { failLogin } from './login-step-error.ts';
import { callJson } from './oidc-http.ts';
import { safeUrl } from './safe-url.ts';

/** The site's API token and how many seconds it lives (null when the site does not say). */
export interface ApiToken {
  token: string;
  expiresIn: number | null;
}

/** Reads the answer: `{ token, expiresIn }` (seconds), or a bare JSON string as CloudShell's own login endpoint gives. */
function readApiToken(body: unknown): ApiToken | null {
  if (typeof body === 'string') return body === '' ? null : { token: body, expiresIn: null };
  if (typeof body !== 'object' || body === null) return null;
  const { token, expiresIn } = body as Record<string, unknown>;
  if (typeof token !== 'string' || token === '') return null;
  return { token, expiresIn: typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : null };
}

/**
 * Exchanges the identity provider's ID token at the site's login endpoint (CloudShell API SSO:
 * `POST <site><path>` with `{ token, domain }`) for the site's own API token. A refusal ends the
 * login `http_error` with the site's status.
 */
export async function exchangeIdToken(site: Site, exchange: TokenExchange, idToken: string, context: LoginContext): Promise<ApiToken> {
  const url = new URL(exchange.path, site.url + '/').href;
  const what = "The site's login endpoint";
  const answer = await callJson(url, { method: 'POST', json: { token: idToken, domain: exchange.domain } }, context, what);
  if (answer.status !== 200) {
    failLogin({ ending: 'http_error', status: answer.status, reason: `${what} (${safeUrl(url)}) refused the ID token with HTTP ${answer.status}.` });
  }
  const apiToken = readApiToken(answer.body);
  if (apiToken === null) failLogin({ ending: 'incomplete', reason: `${what} answered without an API token.` });
  registerSecret(apiToken.token);
  return apiToken;
}
