import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';
import type { Caller, OperationHandlers } from '../operations/inputs.ts';
import type { OperationName } from '../common/operations.ts';
import { clientName } from './client-name.ts';
import type { ConnectionLimiter } from './connection-limiter.ts';
import { errorReply, refusal } from './http-errors.ts';
import { sendJson } from './json-response.ts';
import type { Limits } from './limits.ts';
import type { RefusalLog } from './refusal-log.ts';
import { authenticate, guardRequest, type TransportContext } from './request-guard.ts';
import { parseInput, requestFields } from './request-input.ts';
import { matchRoute } from './router.ts';
import type { EventStreams } from './sse.ts';
import type { StopAgentReply, UiTicketReply } from '../common/views.ts';
import { isWebUiPath, type WebUi } from './web-ui.ts';

/** What the request handler of one transport works with. */
export interface RequestContext {
  transport: TransportContext;
  token: string;
  handlers: OperationHandlers;
  limits: Limits;
  logger: Logger;
  /** Where refusals of unauthenticated requests are logged (throttled). */
  refusals: RefusalLog;
  events: EventStreams;
  limiter: ConnectionLimiter;
  /** The response in progress on each connection, for errors Node reports on the socket itself. */
  responses: WeakMap<object, ServerResponse>;
  /** The web UI: its pages and API under `/ui/` on TCP, and its tickets on `POST /v1/ui/ticket`. */
  webUi?: WebUi;
  /** Called once `POST /v1/agent/stop` is answered; without it, the agent cannot be stopped over the API. */
  onStopRequest?: () => void;
}

type AnyHandler = (input: unknown, caller: Caller) => Promise<unknown>;

// The interactive login timeout the engine uses when a login request names none (docs/ARCHITECTURE.md, "Logins").
const defaultLoginSeconds = 300;

/**
 * How long an operation may legitimately keep its connection quiet: a long poll waits up to `wait`
 * for a login, a login up to its timeout. The request has fully arrived by then, so Node's request
 * timeout no longer applies; only the idle timeout is stretched, by this much plus a margin.
 */
function quietSeconds(name: OperationName, input: unknown): number {
  const fields = input as { wait?: unknown; timeout?: unknown };
  if (name === 'getSession' && typeof fields.wait === 'number') return fields.wait;
  if (name === 'login') return typeof fields.timeout === 'number' ? fields.timeout : defaultLoginSeconds;
  return 0;
}

/** Splits a request target into its path and its query (without the `?`). */
function splitTarget(target: string): { path: string; query: string } {
  const at = target.indexOf('?');
  return at < 0 ? { path: target, query: '' } : { path: target.slice(0, at), query: target.slice(at + 1) };
}

/**
 * The request handler shared by both transports. Order (docs/ARCHITECTURE.md, "The agent API"): the refusals that
 * need no token, then the token, then routing and input; nothing about the API is revealed to a
 * caller without the token. Log lines carry method, route, status and client name only: never the
 * target (its query), a header value, a body or a result.
 */
export function createRequestHandler(context: RequestContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(context, req, res);
  };
}

// Connections answered with `Connection: close`. Node still parses the requests pipelined behind
// such an answer and hands them over; none of them may run, since its answer could never be sent.
const closingConnections = new WeakSet<object>();

async function handle(context: RequestContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (closingConnections.has(req.socket)) {
    req.socket.destroy();
    return;
  }
  const { limits, logger } = context;
  // process.hrtime rather than `performance`, whose module costs the idle agent some 2.5 MB.
  const started = process.hrtime.bigint();
  const socket = req.socket;
  let route = '-';
  let site: string | undefined;
  let authenticated = false;
  let status = 200;
  // Aborted when the connection closes before the answer went out: what the caller waits for (a
  // login, a renewal) stops waiting for it. Made only for a request that reaches its handler.
  let callerGone: AbortController | undefined;
  let busy = false;
  context.responses.set(socket, res);
  // One listener for everything a request's end undoes: this runs for every request.
  res.once('close', () => {
    context.responses.delete(socket);
    if (busy) context.limiter.markIdle(socket);
    if (!res.writableFinished) callerGone?.abort(new Error('The client closed the connection.'));
  });
  // Node clears a reused keep-alive connection's timeout; each request gets the idle timeout again.
  socket.setTimeout(limits.idleTimeoutMs);
  try {
    const target = splitTarget(req.url ?? '/');
    const query = target.query;
    let path = target.path;
    // The web UI's requests are let in by its own rules (a cookie and a key, from its own origin);
    // every other request by the API's (a bearer token, and never from a browser).
    const webUi = context.transport.kind === 'tcp' && isWebUiPath(path) ? context.webUi : undefined;
    if (webUi !== undefined) {
      route = 'ui';
      const admission = await webUi.admit(req, res, path, query);
      if (admission.kind === 'served') {
        // A notice to open the UI afresh is a refusal as far as the log is concerned.
        authenticated = admission.status < 400;
        status = admission.status;
        return;
      }
      path = admission.path;
    } else {
      const refused = guardRequest(req, context.transport, context.token) ?? authenticate(req, context.token);
      if (refused !== null) throw refused;
    }
    authenticated = true;
    context.limiter.markBusy(socket);
    busy = true;

    const match = matchRoute(req.method ?? '', path);
    if (match.kind === 'not_found') throw refusal('not_found', 'No such endpoint.');
    if (match.kind === 'method_not_allowed') {
      throw refusal('method_not_allowed', `This endpoint takes ${match.allow.join(' or ')}.`, { allow: match.allow });
    }
    route = match.name;
    site = match.id ?? undefined;
    // The UI never holds a session value (bridge.ts), nor mints its own tickets.
    if (webUi !== undefined && match.name === 'getSession') throw refusal('forbidden', 'The web UI never receives a session value.');
    if (match.name === 'uiTicket') {
      if (webUi !== undefined || context.webUi === undefined) throw refusal('not_found', 'No such endpoint.');
      const { url, expiresAt } = context.webUi.issueTicket();
      const reply: UiTicketReply = { url, expiresAt };
      if (!req.complete) closingConnections.add(socket);
      sendJson(res, 200, reply, { close: !req.complete });
      return;
    }
    if (match.name === 'stopAgent') {
      // Only a token holder stops the agent: a tab of the web UI holds no token.
      if (webUi !== undefined) throw refusal('forbidden', 'The web UI cannot stop the agent.');
      const onStop = context.onStopRequest;
      if (onStop === undefined) throw refusal('forbidden', 'This agent is not stopped over its API.', { hint: 'It is the desktop app: quit it from its tray menu.' });
      closingConnections.add(socket);
      res.once('finish', onStop);
      const reply: StopAgentReply = { stopping: true, pid: process.pid };
      sendJson(res, 200, reply, { close: true });
      return;
    }
    if (match.name === 'events') {
      if (query !== '') throw refusal('bad_request', 'The event stream takes no parameters.');
      // A stream is not a request in flight: the connection cap may close it to serve one. It is
      // the last answer on its connection (sse.ts): a request pipelined behind it never runs.
      context.limiter.markIdle(socket);
      busy = false;
      closingConnections.add(socket);
      context.events.open(req, res, context.transport.kind);
      return;
    }
    const fields = await requestFields(req, query, match.id, limits.maxBodyBytes, () => {
      // Expect: 100-continue (RFC 9110 section 10.1.1): the client waits for this before sending
      // its body, so it goes out only once every check that needs no body has passed.
      if (/100-continue/i.test(req.headers.expect ?? '')) res.writeContinue();
    });
    const input = parseInput(match.name, fields);
    const quiet = quietSeconds(match.name, input);
    if (quiet > 0) socket.setTimeout(Math.max(limits.idleTimeoutMs, quiet * 1000 + limits.longPollMarginMs));
    const handler = context.handlers[match.name] as AnyHandler;
    callerGone = new AbortController();
    if (socket.destroyed) callerGone.abort(new Error('The client closed the connection.'));
    const result = await handler(input, { client: clientName(req), signal: callerGone.signal });
    sendJson(res, 200, result);
  } catch (error) {
    const reply = errorReply(error, site);
    status = reply.status;
    if (reply.unexpected !== null) logger.error('request failed unexpectedly', { route, error: reply.unexpected });
    // A refused caller's connection is not kept, nor one whose body was left unread.
    const close = !authenticated || !req.complete;
    if (close) closingConnections.add(socket);
    sendJson(res, reply.status, reply.body, { headers: reply.headers, close });
  } finally {
    const fields = {
      transport: context.transport.kind,
      method: req.method ?? '-',
      route,
      status,
      client: clientName(req),
      ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
    };
    if (status >= 500) logger.error('request', fields);
    else if (authenticated) logger.debug('request', fields);
    else context.refusals.record('request refused', fields);
  }
}
