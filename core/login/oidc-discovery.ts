import type { JSONWebKeySet } from 'jose';
import { isLoopbackHost } from '../sites/site-url.ts';
import { callJson, jsonObject } from './oidc-http.ts';
import type { LoginContext } from './login-strategy.ts';
import { failLogin } from './login-step-error.ts';

/** What Latchkey uses of an identity provider's metadata (OpenID Connect Discovery 1.0, section 3). */
export interface ProviderMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  /** RFC 8628 section 4: where a device login starts, when the provider offers one. */
  deviceAuthorizationEndpoint: string | null;
  /** RFC 7009 / RFC 8414: where tokens are revoked at logout, when the provider offers it. */
  revocationEndpoint: string | null;
  /** OpenID Connect RP-Initiated Logout 1.0: where the provider's own session is ended, when it offers it. */
  endSessionEndpoint: string | null;
}

/** True for an https URL, or plain http on a loopback host (as for sites and issuers). */
export function isAllowedEndpoint(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.username === '' && url.password === '' && (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)));
  } catch {
    return false;
  }
}

/** Reads `<issuer>/.well-known/openid-configuration` and checks what the login relies on. */
export async function discoverProvider(issuer: string, context: LoginContext): Promise<ProviderMetadata> {
  // Section 4: the path is appended to the issuer, after removing a trailing slash.
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const what = "The identity provider's metadata";
  const answer = await callJson(url, {}, context, what);
  if (answer.status !== 200) failLogin({ ending: 'http_error', status: answer.status, reason: `${what} answered HTTP ${answer.status}.` });
  const document = jsonObject(answer, what);
  // Section 4.3: the issuer in the document must be exactly the one asked for, or another
  // provider could stand in for it.
  if (document['issuer'] !== issuer) failLogin({ ending: 'incomplete', reason: `${what} names another issuer than the site's profile.` });
  const metadata = {
    issuer,
    authorizationEndpoint: document['authorization_endpoint'],
    tokenEndpoint: document['token_endpoint'],
    jwksUri: document['jwks_uri'],
  };
  for (const [field, value] of Object.entries(metadata)) {
    if (!isAllowedEndpoint(value)) failLogin({ ending: 'incomplete', reason: `${what} has no usable ${field} (an https URL).` });
  }
  const optional = (field: string): string | null => {
    const value = document[field];
    return isAllowedEndpoint(value) ? value : null;
  };
  return {
    ...(metadata as Pick<ProviderMetadata, 'issuer' | 'authorizationEndpoint' | 'tokenEndpoint' | 'jwksUri'>),
    deviceAuthorizationEndpoint: optional('device_authorization_endpoint'),
    revocationEndpoint: optional('revocation_endpoint'),
    endSessionEndpoint: optional('end_session_endpoint'),
  };
}

/** Fetches the provider's signing keys from its `jwks_uri` (with Node's own HTTP, which resolves `*.localhost`). */
export async function fetchProviderKeys(provider: ProviderMetadata, context: LoginContext): Promise<JSONWebKeySet> {
  const what = "The identity provider's key set";
  const answer = await callJson(provider.jwksUri, {}, context, what);
  if (answer.status !== 200) failLogin({ ending: 'http_error', status: answer.status, reason: `${what} answered HTTP ${answer.status}.` });
  const document = jsonObject(answer, what);
  if (!Array.isArray(document['keys'])) failLogin({ ending: 'incomplete', reason: `${what} lists no keys.` });
  return document as unknown as JSONWebKeySet;
}
