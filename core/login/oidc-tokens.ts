import { registerSecret } from '../secrets.ts';
import type { LoginContext } from './login-strategy.ts';
import { failLogin } from './login-step-error.ts';
import type { ProviderMetadata } from './oidc-discovery.ts';
import { callJson, jsonObject, oauthErrorCode, type JsonAnswer } from './oidc-http.ts';
import type { OidcSettings } from './oidc-settings.ts';

/** What a token endpoint answered (RFC 6749 section 5.1, OpenID Connect Core 1.0 section 3.1.3.3). */
export interface TokenSet {
  accessToken: string;
  idToken: string | null;
  refreshToken: string | null;
  /** Seconds the access token lives, when the provider says. */
  expiresIn: number | null;
}

const what = 'The token endpoint';

function optionalString(body: Record<string, unknown>, field: string): string | null {
  const value = body[field];
  return typeof value === 'string' && value !== '' ? value : null;
}

async function requestTokens(provider: ProviderMetadata, form: URLSearchParams, context: LoginContext): Promise<TokenSet> {
  const answer = await callJson(provider.tokenEndpoint, { method: 'POST', form }, context, what);
  return readTokens(answer);
}

function readTokens(answer: JsonAnswer): TokenSet {
  if (answer.status !== 200) {
    const code = oauthErrorCode(answer.body);
    failLogin({ ending: 'http_error', status: answer.status, reason: `${what} answered HTTP ${answer.status}${code === null ? '' : ` (${code})`}.` });
  }
  const body = jsonObject(answer, what);
  const accessToken = optionalString(body, 'access_token');
  if (accessToken === null) failLogin({ ending: 'incomplete', reason: `${what} answered without an access token.` });
  // A DPoP or other sender-constrained token would need proofs Latchkey does not make (RFC 9449).
  if (typeof body['token_type'] !== 'string' || body['token_type'].toLowerCase() !== 'bearer') {
    failLogin({ ending: 'incomplete', reason: `${what} answered with a token type other than Bearer.` });
  }
  const tokens: TokenSet = {
    accessToken,
    idToken: optionalString(body, 'id_token'),
    refreshToken: optionalString(body, 'refresh_token'),
    expiresIn: typeof body['expires_in'] === 'number' && body['expires_in'] > 0 ? body['expires_in'] : null,
  };
  // Registered at once, before anything else could log them by mistake.
  for (const secret of [tokens.accessToken, tokens.idToken, tokens.refreshToken]) if (secret !== null) registerSecret(secret);
  return tokens;
}

/** Redeems an authorization code with its PKCE verifier (RFC 6749 section 4.1.3, RFC 7636 section 4.5), as a public client. */
export function redeemCode(provider: ProviderMetadata, settings: OidcSettings, code: string, verifier: string, context: LoginContext): Promise<TokenSet> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: settings.redirectUri,
    client_id: settings.clientId,
    code_verifier: verifier,
  });
  return requestTokens(provider, form, context);
}

/** Redeems a refresh token (RFC 6749 section 6), as a public client: no window, no person. */
export function redeemRefreshToken(provider: ProviderMetadata, settings: OidcSettings, refreshToken: string, context: LoginContext): Promise<TokenSet> {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: settings.clientId });
  return requestTokens(provider, form, context);
}

// RFC 8628 section 3.5: the answers of a device-code poll that are not the tokens, and not a failure of the call.
const devicePollErrors = new Set(['authorization_pending', 'slow_down', 'access_denied', 'expired_token']);

/** A device-code poll's outcome: the tokens, or the RFC 8628 error the provider answered. */
export type DevicePoll = { tokens: TokenSet } | { error: 'authorization_pending' | 'slow_down' | 'access_denied' | 'expired_token' };

/** Asks the token endpoint once whether the person has approved the device code (RFC 8628 section 3.4). */
export async function pollDeviceCode(provider: ProviderMetadata, settings: OidcSettings, deviceCode: string, context: LoginContext): Promise<DevicePoll> {
  const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode, client_id: settings.clientId });
  const answer = await callJson(provider.tokenEndpoint, { method: 'POST', form }, context, what);
  const code = answer.status === 400 ? oauthErrorCode(answer.body) : null;
  if (code !== null && devicePollErrors.has(code)) return { error: code as Exclude<DevicePoll, { tokens: TokenSet }>['error'] };
  return { tokens: readTokens(answer) };
}
