import { registerSecret } from '../secrets.ts';
import type { LoginContext } from './login-strategy.ts';
import { failLogin } from './login-step-error.ts';
import { callJson, jsonObject, oauthErrorCode } from './oidc-http.ts';
import type { OidcSettings } from './oidc-settings.ts';
import { isAllowedEndpoint } from './oidc-discovery.ts';

/** A device authorization (RFC 8628 section 3.2): what to poll with, and what the person is shown. */
export interface DeviceGrant {
  deviceCode: string;
  userCode: string;
  /** The page where the person types the code, with the code filled in when the provider offers that. */
  verificationUri: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  intervalMs: number;
}

const what = 'The device authorization endpoint';
// RFC 8628 section 3.2: 5 s when the provider names no interval.
const defaultIntervalSeconds = 5;
// The code is read by a person, on a page and in a terminal: nothing else fits in it.
const USER_CODE = /^[\x21-\x7e ]{1,64}$/;

/** Asks the provider for a device code and a user code (RFC 8628 section 3.1), as a public client. */
export async function requestDeviceCode(endpoint: string, settings: OidcSettings, context: LoginContext): Promise<DeviceGrant> {
  const form = new URLSearchParams({ client_id: settings.clientId, scope: settings.scopes.join(' ') });
  const answer = await callJson(endpoint, { method: 'POST', form }, context, what);
  if (answer.status !== 200) {
    const code = oauthErrorCode(answer.body);
    failLogin({ ending: 'http_error', status: answer.status, reason: `${what} answered HTTP ${answer.status}${code === null ? '' : ` (${code})`}.` });
  }
  const body = jsonObject(answer, what);
  const { device_code: deviceCode, user_code: userCode, verification_uri: uri, verification_uri_complete: complete, expires_in: expiresIn, interval } = body;
  if (typeof deviceCode !== 'string' || deviceCode === '') failLogin({ ending: 'incomplete', reason: `${what} answered without a device code.` });
  registerSecret(deviceCode);
  if (typeof userCode !== 'string' || !USER_CODE.test(userCode)) failLogin({ ending: 'incomplete', reason: `${what} answered without a usable user code.` });
  if (!isAllowedEndpoint(uri)) failLogin({ ending: 'incomplete', reason: `${what} answered without a usable verification page (an https URL).` });
  if (typeof expiresIn !== 'number' || !(expiresIn > 0)) failLogin({ ending: 'incomplete', reason: `${what} answered without the code's lifetime.` });
  const seconds = typeof interval === 'number' && interval > 0 && interval <= 60 ? interval : defaultIntervalSeconds;
  return {
    deviceCode,
    userCode,
    verificationUri: isAllowedEndpoint(complete) ? complete : uri,
    expiresAt: context.clock.now() + Math.round(expiresIn * 1000),
    intervalMs: Math.round(seconds * 1000),
  };
}
