import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkChoice } from './choice.ts';
import { parseCookieHeader, readForm } from './http-input.ts';
import { redirect, send } from './http-output.ts';
import type { LabClock } from './lab-clock.ts';
import { appSessionAnswerPage, appSessionRequestPage, siteErrorPage } from './site-pages.ts';
import type { SiteSession } from './site-sessions.ts';

/**
 * Where an app session request stands: `pending` until the person answers in the browser,
 * `approved` until the tool's poll collects its session, then `consumed`; `denied` and `expired`
 * end it without a session.
 */
export type AppSessionRequestState = 'pending' | 'approved' | 'consumed' | 'denied' | 'expired';

/** One app session request, as tests see it. */
export interface AppSessionRequestRecord {
  id: string;
  appName: string;
  machineId: string;
  state: AppSessionRequestState;
  /** Every PUT that named the request, failed ones included. */
  polls: number;
}

/**
 * How the tool's polls can fail: `server_error` answers 503 to the next polls, `redirect` answers
 * every poll with a 302 to `/auth/renew` (as a site behind a login proxy would).
 */
export type AppSessionPollFailure = 'server_error' | 'redirect';

/** Every poll failure, for menus and for checking input. */
export const appSessionPollFailures: readonly AppSessionPollFailure[] = ['server_error', 'redirect'];

/** What the requests need from the site they belong to. */
export interface AppSessionSite {
  clock: LabClock;
  /** The live site session of this `_session_id` value, if any. */
  findSession(id: string | undefined): SiteSession | undefined;
  /** Issues a new site session for `login` exactly as the SSO login does; returns its `_session_id` value. */
  issueSession(login: string): string;
  /** Where to send a browser with no site session so that it signs in and comes back to `path`. */
  loginUrl(path: string): string;
}

interface AppSessionRequest extends AppSessionRequestRecord {
  /** Milliseconds since the epoch, on the site's clock. */
  expiresAt: number;
  /** The login of the person who approved. */
  approvedBy: string | null;
}

const apiPath = /^\/internal_api\/app_session_request(?:\/([^/]*))?$/;
const pagePath = /^\/app_session_request\/([^/]*)(?:\/(approve|deny))?$/;
// The shape of the ids the site makes (32 random bytes, base64url): a path segment of any other
// shape names no request, whatever the map holds.
const idShape = /^[A-Za-z0-9_-]{43}$/;
const sessionCookie = '_session_id';

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'json', JSON.stringify(body));
}

/**
 * ShotGrid's app session requests, which tk-core's `app_session_launcher.py` uses to sign a
 * desktop tool in through the person's browser: the tool asks for a request, opens its page, and
 * polls with PUT until the person has approved it there; the approved poll carries a new site
 * session for the tool.
 */
export class AppSessionRequests {
  /** Off: new requests are refused with 403, as on a site where the feature is disabled. */
  enabled = true;
  /** How long requests made from now on stay open (checked by the site). */
  lifetimeSeconds = 600;
  readonly #site: AppSessionSite;
  readonly #requests = new Map<string, AppSessionRequest>();
  #failure: { kind: 'server_error'; remaining: number } | { kind: 'redirect' } | null = null;

  constructor(site: AppSessionSite) {
    this.#site = site;
  }

  /** Answers the request when `path` is one of the feature's; false for any other path. `origin` is the site's, for the page URL. */
  async handle(origin: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const api = apiPath.exec(path);
    if (api !== null) {
      await this.#api(origin, req, res, api[1]);
      return true;
    }
    const page = pagePath.exec(path);
    if (page === null) return false;
    const request = this.#find(page[1] ?? '');
    const action = page[2];
    if (request === undefined) {
      send(res, 404, 'html', siteErrorPage('Not found', 'There is no such app session request.'));
    } else if (action === undefined && req.method === 'GET') {
      this.#page(req, res, path, request);
    } else if (action !== undefined && req.method === 'POST') {
      this.#answer(req, res, request, action === 'approve' ? 'approved' : 'denied');
    } else {
      res.writeHead(405, { allow: action === undefined ? 'GET' : 'POST' }).end();
    }
    return true;
  }

  /** True for the page of a request this site made: the only places a login may return to. */
  isRequestPage(path: string): boolean {
    const match = pagePath.exec(path);
    return match !== null && match[2] === undefined && this.#find(match[1] ?? '') !== undefined;
  }

  /** Makes the next `times` polls fail with `server_error`, or every poll with `redirect`, or none (null). */
  setPollFailure(failure: AppSessionPollFailure | null, times = 1): void {
    const checked = checkChoice('app session poll failure', appSessionPollFailures, failure);
    if (checked === 'server_error' && (!Number.isInteger(times) || times < 1)) throw new TypeError(`times must be a whole number ≥ 1, got ${times}`);
    this.#failure = checked === null ? null : checked === 'redirect' ? { kind: 'redirect' } : { kind: 'server_error', remaining: times };
  }

  /** Ends every pending or approved request now; returns how many there were. */
  expireAll(): number {
    let expired = 0;
    for (const request of this.#requests.values()) {
      if (request.state === 'pending' || request.state === 'approved') {
        request.state = 'expired';
        expired += 1;
      }
    }
    return expired;
  }

  /** Every request made, oldest first. */
  records(): AppSessionRequestRecord[] {
    return [...this.#requests.values()].map((request) => {
      const { id, appName, machineId, state, polls } = this.#refreshed(request);
      return { id, appName, machineId, state, polls };
    });
  }

  #find(id: string): AppSessionRequest | undefined {
    const request = idShape.test(id) ? this.#requests.get(id) : undefined;
    return request === undefined ? undefined : this.#refreshed(request);
  }

  #refreshed(request: AppSessionRequest): AppSessionRequest {
    const live = request.state === 'pending' || request.state === 'approved';
    if (live && request.expiresAt <= this.#site.clock.now()) request.state = 'expired';
    return request;
  }

  async #api(origin: string, req: IncomingMessage, res: ServerResponse, id: string | undefined): Promise<void> {
    if (id === undefined && req.method === 'POST') return this.#create(origin, req, res);
    if (id === undefined || req.method !== 'PUT') {
      res.writeHead(405, { allow: id === undefined ? 'POST' : 'PUT' }).end();
      return;
    }
    const request = this.#find(id);
    if (request !== undefined) request.polls += 1;
    // The failures stand for the site or a proxy in front of it, which answer before any request is looked at.
    const failure = this.#failure;
    if (failure?.kind === 'redirect') return redirect(res, '/auth/renew');
    if (failure?.kind === 'server_error') {
      failure.remaining -= 1;
      if (failure.remaining === 0) this.#failure = null;
      return json(res, 503, { error: 'service unavailable' });
    }
    if (request?.state === 'pending') return json(res, 200, { approved: false });
    if (request?.state !== 'approved' || request.approvedBy === null) return json(res, 404, { error: 'no such request' });
    // The session is made when it is handed over, and only once: the request is spent.
    request.state = 'consumed';
    return json(res, 200, { approved: true, sessionToken: this.#site.issueSession(request.approvedBy), userLogin: request.approvedBy });
  }

  async #create(origin: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.enabled) return json(res, 403, { error: 'app session requests are disabled' });
    const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') return json(res, 400, { error: 'expected an application/x-www-form-urlencoded body' });
    const form = await readForm(req);
    const appName = form.get('appName') ?? '';
    const machineId = form.get('machineId') ?? '';
    if (appName === '' || machineId === '') return json(res, 400, { error: 'appName and machineId are required' });
    const id = randomBytes(32).toString('base64url');
    const expiresAt = this.#site.clock.now() + this.lifetimeSeconds * 1000;
    this.#requests.set(id, { id, appName, machineId, state: 'pending', polls: 0, expiresAt, approvedBy: null });
    return json(res, 200, { sessionRequestId: id, url: `${origin}/app_session_request/${id}` });
  }

  #page(req: IncomingMessage, res: ServerResponse, path: string, request: AppSessionRequest): void {
    if (this.#session(req) === undefined) return redirect(res, this.#site.loginUrl(path));
    switch (request.state) {
      case 'pending':
        return send(res, 200, 'html', appSessionRequestPage(path, request.appName, request.machineId));
      case 'approved':
        return send(res, 200, 'html', appSessionAnswerPage('approved'));
      case 'denied':
        return send(res, 200, 'html', appSessionAnswerPage('denied'));
      case 'consumed':
      case 'expired':
        return send(res, 404, 'html', siteErrorPage('Not found', 'This app session request is no longer open.'));
    }
  }

  // The forms need the site session; its cookie is SameSite=Lax, so another site's form cannot post them for the person.
  #answer(req: IncomingMessage, res: ServerResponse, request: AppSessionRequest, answer: 'approved' | 'denied'): void {
    const session = this.#session(req);
    if (session === undefined) return send(res, 401, 'html', siteErrorPage('Sign in first', 'Open the request again to sign in to the site.'));
    if (request.state === 'pending') {
      request.state = answer;
      if (answer === 'approved') request.approvedBy = session.user;
    }
    // A second click on the same button answers the same; anything else was settled before.
    if (request.state === answer) return send(res, 200, 'html', appSessionAnswerPage(answer));
    if (request.state === 'consumed' || request.state === 'expired') return send(res, 404, 'html', siteErrorPage('Not found', 'This app session request is no longer open.'));
    return send(res, 409, 'html', siteErrorPage('Already answered', 'This app session request was answered already.'));
  }

  #session(req: IncomingMessage): SiteSession | undefined {
    return this.#site.findSession(parseCookieHeader(req.headers.cookie).get(sessionCookie));
  }
}
