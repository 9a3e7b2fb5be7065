import { IncomingMessage, type ServerResponse } from 'node:http';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { readBody } from './http-input.ts';
import { send } from './http-output.ts';
import { deviceCodePage, deviceConfirmPage, deviceDeniedPage, deviceSuccessPage, type DeviceForm } from './idp-pages.ts';

type DeviceFlowFeature = NonNullable<NonNullable<Configuration['features']>['deviceFlow']>;

function checkSeconds(what: string, seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1) throw new TypeError(`${what} must be a whole number of seconds ≥ 1, got ${seconds}`);
  return seconds;
}

// oidc-provider keeps the form's anti-forgery secret in the session state before it renders
// either page (lib/shared/xsrf.js); the lab's own forms post it back as `xsrf`.
function deviceForm(ctx: KoaContextWithOIDC): DeviceForm {
  const xsrf = ctx.oidc.session?.state?.['secret'];
  if (typeof xsrf !== 'string') throw new Error('the device form has no xsrf secret in its session');
  return { action: ctx.oidc.urlFor('code_verification'), xsrf };
}

function clientNameOf(ctx: KoaContextWithOIDC): string {
  const client = ctx.oidc.client;
  return client?.clientName ?? client?.clientId ?? 'An application';
}

// oidc-provider re-renders the code page with one of its own errors (lib/helpers/re_render_errors.js), by name.
function inputError(error: Error | undefined, code: string | undefined): string | null {
  switch (error?.name) {
    case undefined:
      return null;
    case 'NoCodeError':
      return 'Enter the code shown on your device.';
    case 'NotFoundError':
      return 'No device is waiting for that code. Check it and try again.';
    case 'ExpiredError':
      return 'That code has expired. Start again on your device.';
    case 'AlreadyUsedError':
      return 'That code was already used.';
    default:
      return `The sign-in could not go on (${code ?? 'server_error'}). Start again on your device.`;
  }
}

/**
 * The lab's device authorization grant (RFC 8628, oidc-provider's `features.deviceFlow`): its
 * pages, the settings tests change while it runs, and the two things oidc-provider does not do:
 * it sends no `interval` (so clients would wait the RFC's 5 s between polls) and never answers
 * `slow_down`.
 */
export class IdpDeviceFlow {
  #intervalSeconds = 1;
  #codeSeconds = 600;
  #slowDowns = 0;

  /** The `interval` added to device authorization responses from now on. */
  setInterval(seconds: number): void {
    this.#intervalSeconds = checkSeconds('device interval', seconds);
  }

  /** The lifetime of device codes made from now on. */
  setCodeLifetime(seconds: number): void {
    this.#codeSeconds = checkSeconds('device code lifetime', seconds);
  }

  /** Makes the next `times` device code polls answer `slow_down`. */
  setSlowDown(times: number): void {
    if (!Number.isInteger(times) || times < 0) throw new TypeError(`times must be a whole number ≥ 0, got ${times}`);
    this.#slowDowns = times;
  }

  /** oidc-provider's `ttl.DeviceCode`: a function, so a new lifetime applies to the codes made after it. */
  readonly codeTtl = (): number => this.#codeSeconds;

  /** oidc-provider's `features.deviceFlow`, with the lab's pages. */
  feature(): DeviceFlowFeature {
    return {
      enabled: true,
      userCodeInputSource: (ctx, _form, out, error) => {
        ctx.type = 'html';
        // An abort at the confirm step comes back here as oidc-provider's AbortedError.
        if (error?.name === 'AbortedError') {
          ctx.body = deviceDeniedPage();
          return;
        }
        const typed = error !== undefined && 'userCode' in error && typeof error.userCode === 'string' ? error.userCode : '';
        ctx.body = deviceCodePage(deviceForm(ctx), { error: inputError(error, out?.error), userCode: typed });
      },
      userCodeConfirmSource: (ctx, _form, client, _deviceInfo, userCode) => {
        ctx.type = 'html';
        ctx.body = deviceConfirmPage(deviceForm(ctx), { clientName: client.clientName ?? client.clientId, userCode });
      },
      successSource: (ctx) => {
        ctx.type = 'html';
        ctx.body = deviceSuccessPage(clientNameOf(ctx));
      },
    };
  }

  /**
   * Adds `interval` to the device authorization endpoint's JSON answer, which oidc-provider
   * (through Koa) sends with one `res.end(body)` before which no header has gone out.
   */
  addInterval(res: ServerResponse): void {
    const end = res.end.bind(res) as (body?: unknown) => ServerResponse;
    res.end = ((chunk?: unknown) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : null;
      if (text === null) return end(chunk);
      const body = this.#withInterval(text);
      if (!res.headersSent) res.setHeader('content-length', Buffer.byteLength(body));
      return end(body);
    }) as typeof res.end;
  }

  /**
   * Answers a token request itself with `slow_down` while the switch is on and the request polls
   * with a device code; resolves with the request to hand to oidc-provider otherwise, or null when
   * it was answered. The body is read only while the switch is on, and then handed on in a copy.
   */
  async answerSlowDown(req: IncomingMessage, res: ServerResponse): Promise<IncomingMessage | null> {
    if (this.#slowDowns === 0) return req;
    const body = await readBody(req);
    if (new URLSearchParams(body).get('grant_type') === 'urn:ietf:params:oauth:grant-type:device_code' && this.#slowDowns > 0) {
      this.#slowDowns -= 1;
      send(res, 400, 'json', JSON.stringify({ error: 'slow_down' }));
      return null;
    }
    return replay(req, body);
  }

  #withInterval(text: string): string {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return text;
    }
    if (typeof body !== 'object' || body === null || !('device_code' in body)) return text;
    return JSON.stringify({ ...body, interval: this.#intervalSeconds });
  }
}

/** A request like `req`, whose body (already read from `req`) can be read again. */
function replay(req: IncomingMessage, body: string): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.headers = req.headers;
  copy.rawHeaders = req.rawHeaders;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  // Whole from the start: a message not marked complete drops the socket when it is destroyed after its end.
  copy.complete = true;
  copy.push(Buffer.from(body, 'utf8'));
  copy.push(null);
  return copy;
}
