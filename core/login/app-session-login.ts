import { hostname } from 'node:os';
import { registerSecret } from '../secrets.ts';
import type { Session } from '../sessions/session.ts';
import { sameOrigin } from './landing.ts';
import type { LoginResult } from './login-result.ts';
import { LoginStepError, failLogin } from './login-step-error.ts';
import type { LoginContext } from './login-strategy.ts';
import { pause, untilSettled } from './login-wait.ts';
import { callJson, jsonObject, type JsonAnswer } from './oidc-http.ts';

// ShotGrid's app-session request, as tk-core's app_session_launcher.py makes it.
const requestPath = '/internal_api/app_session_request';
const appName = 'Latchkey';
const pollEveryMs = 2_000;
// 5xx answers and unreachable moments in a row that a poll survives, waiting longer after each.
const maxRetries = 4;
const retryBaseMs = 2_000;
const SESSION_TOKEN = /^[\x21-\x7e]{1,4096}$/;
const what = "The site's app-session request";

function requestUrl(context: LoginContext, suffix: string): string {
  return new URL(requestPath + suffix, context.site.url + '/').href;
}

/** Starts a session request; answers its id and the page the person approves it on. */
async function startRequest(context: LoginContext): Promise<{ id: string; url: string }> {
  const form = new URLSearchParams({ appName, machineId: hostname() });
  const answer = await callJson(requestUrl(context, ''), { method: 'POST', form }, context, what);
  if (answer.status === 403) {
    failLogin({ ending: 'http_error', status: 403, reason: 'The site has login in your browser turned off (HTTP 403 to the app-session request); use the embedded login (the shotgrid preset).' });
  }
  if (answer.status !== 200) failLogin({ ending: 'http_error', status: answer.status, reason: `${what} answered HTTP ${answer.status}.` });
  const body = jsonObject(answer, what);
  const id = body['sessionRequestId'];
  const url = body['url'];
  // The id goes into a path: only characters that stay one path segment.
  if (typeof id !== 'string' || !/^[A-Za-z0-9._~-]{1,256}$/.test(id)) failLogin({ ending: 'incomplete', reason: `${what} answered without a usable request id.` });
  // The person's browser is sent only to the site itself: a site's answer never opens another host.
  if (typeof url !== 'string' || !sameOrigin(url, context.site.url)) failLogin({ ending: 'incomplete', reason: `${what} answered with an approval page that is not on the site.` });
  return { id, url: new URL(url).href };
}

/** One poll, with 5xx answers and unreachable moments retried a few times with a growing wait. */
async function poll(context: LoginContext, id: string): Promise<JsonAnswer> {
  for (let attempt = 0; ; attempt += 1) {
    let answer: JsonAnswer | null = null;
    let failure: LoginStepError | null = null;
    try {
      answer = await callJson(requestUrl(context, `/${id}`), { method: 'PUT' }, context, what);
    } catch (error) {
      if (!(error instanceof LoginStepError) || error.failure.ending !== 'network_error') throw error;
      failure = error;
    }
    if (answer !== null && answer.status < 500) return answer;
    if (attempt >= maxRetries) throw failure ?? new LoginStepError({ ending: 'http_error', status: answer?.status ?? 500, reason: `${what} answered HTTP ${answer?.status ?? 500}, again and again.` });
    context.logger.info('the app-session poll failed; trying again', { status: answer?.status ?? null, attempt: attempt + 1 });
    await pause(retryBaseMs * 2 ** attempt, context, 'the site to answer again');
  }
}

/**
 * An app-session login (ShotGrid's login in the person's own browser): the site makes a session
 * request, the person approves it on the site's page in their browser, and Latchkey, polling every
 * 2 s, receives the session token. The token is the site's session cookie (`sessionCookie`), as
 * ShotGrid's session token is the value of its `_session_id` cookie.
 */
export async function appSessionLogin(context: LoginContext): Promise<LoginResult> {
  if (!context.interactive) failLogin({ ending: 'incomplete', needsPerson: true, reason: 'Renewing this session needs you: it is approved in your own browser.' });
  const request = await untilSettled(startRequest(context), context, 'the site to start the request');
  await context.present({ url: request.url, userCode: null, expiresAt: null }, { open: true });
  for (;;) {
    await pause(pollEveryMs, context, 'the request to be approved in your browser');
    const answer = await poll(context, request.id);
    if (answer.status === 404) failLogin({ ending: 'cancelled', reason: 'The request was rejected on the site, or it expired before it was approved.' });
    if (answer.status !== 200) failLogin({ ending: 'http_error', status: answer.status, reason: `${what} answered HTTP ${answer.status} while waiting for approval.` });
    const body = jsonObject(answer, what);
    if (body['approved'] === false) continue;
    const token = body['sessionToken'];
    const user = body['userLogin'];
    if (body['approved'] !== true || typeof token !== 'string' || !SESSION_TOKEN.test(token)) failLogin({ ending: 'incomplete', reason: `${what} was approved without a usable session token.` });
    registerSecret(token);
    return { ending: 'ok', session: appSession(context, token, typeof user === 'string' && user !== '' ? user : null) };
  }
}

function appSession(context: LoginContext, token: string, user: string | null): Session {
  const { site } = context;
  const url = new URL(site.url);
  const name = site.profile.sessionCookie;
  return {
    siteId: site.id,
    siteUrl: site.url,
    user,
    credential: { kind: 'cookie', name, value: token },
    cookies: [{ name, value: token, domain: url.hostname, path: '/', expires: null, httpOnly: true, secure: url.protocol === 'https:', sameSite: 'Lax' }],
    obtainedAt: context.clock.now(),
    expiresAt: null,
  };
}
