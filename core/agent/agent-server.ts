import { mkdir } from '../fs-calls.ts';
import type { Server, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { systemClock, type Clock } from '../clock.ts';
import { silentLogger, type Logger } from '../log.ts';
import type { OperationHandlers } from '../operations/inputs.ts';
import { homePaths, hostName } from '../home.ts';
import { acquireAgentLock } from './agent-lock.ts';
import { createAgentToken } from './agent-token.ts';
import { listenOnEndpoint } from './agent-endpoint.ts';
import { protectHome } from './windows-acl.ts';
import { ConnectionLimiter } from './connection-limiter.ts';
import { removeDiscovery, writeDiscovery } from './discovery-file.ts';
import { createAgentHttpServer } from './http-server.ts';
import { resolveLimits, type Limits } from './limits.ts';
import { RefusalLog } from './refusal-log.ts';
import { createRequestHandler } from './request-handler.ts';
import type { TransportContext } from './request-guard.ts';
import { EventStreams, type EventSubscribe } from './sse.ts';
import { createWebUi, type WebUiOptions } from './web-ui.ts';
import { adoptLegacyLayout, ensureHostFolder } from './host-folder.ts';

/** What the agent server needs. */
export interface AgentServerOptions {
  /** The Latchkey home: its host folder (`hosts/<host>/`) holds `agent.json` and `agent.lock`. */
  home: string;
  /** The folder for `agent.sock`, instead of `$XDG_RUNTIME_DIR/latchkey/…` or `<home>/run/`. */
  runtimeDir?: string;
  handlers: OperationHandlers;
  logger?: Logger;
  /** The version announced in `agent.json`. */
  version: string;
  /** The engine's events, streamed on `GET /v1/events`. */
  events?: EventSubscribe;
  limits?: Partial<Limits>;
  /** Where the web UI's files are and how long its tickets last (see web-ui.ts). */
  webUi?: WebUiOptions;
  /** The clock of the request deadlines and the event streams' heartbeats (the engine's; in tests a manual one). */
  clock?: Clock;
  /** Called when a token holder asks the agent to stop (`latchkey agent stop`), once the answer is sent. */
  onStopRequest?: () => void;
  /** This machine's name in the home (default: hostName, `LATCHKEY_HOST` or the OS's; tests of a shared home inject one). */
  host?: string;
}

/** A running agent server. */
export interface AgentServer {
  socketPath: string;
  /** The TCP port on 127.0.0.1. */
  port: number;
  token: string;
  discoveryPath: string;
  /** A one-time ticket for the web UI, valid for a minute; `uiUrl(server)` in web-ui.ts makes the URL. */
  createUiTicket(): string;
  /** Stops both transports, ends every stream and request, removes `agent.json` and releases the home. */
  close(): Promise<void>;
}

// The only TCP address: the IPv4 loopback literal. Never 0.0.0.0 (every interface), never the name
// `localhost` (its resolution is configurable and may not be loopback).
const loopback = '127.0.0.1';

/**
 * The kernel's queue of connections not yet accepted (listen(2)). Node's default, 511, overflows
 * under a burst of a thousand connections; Linux then drops SYNs, and an honest client's connect
 * stalls for a one-second retransmission. A deep queue lets the connection limiter see every
 * connection at once and make room (the kernel caps it at net.core.somaxconn).
 */
const listenBacklog = 4096;

function listenTcp(server: Server): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen({ host: loopback, port: 0, exclusive: true, backlog: listenBacklog }, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('The TCP listener has no port.'));
      else resolvePort(address.port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    if (!server.listening) {
      done();
      return;
    }
    server.close(() => done());
    // In-flight requests and idle keep-alive connections end now; handlers see their signal abort.
    server.closeAllConnections();
  });
}

/**
 * Starts the local agent API (docs/ARCHITECTURE.md, "The agent API") for `options.home`: claims the home, listens on
 * a private unix socket and on 127.0.0.1, and announces both in `agent.json` with a fresh token.
 * Throws `agent_running` when another agent serves the home. On Windows the local endpoint is a named pipe (agent-endpoint.ts).
 */
export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const logger = (options.logger ?? silentLogger).child({ component: 'agent' });
  const limits = resolveLimits(options.limits);
  const home = resolve(options.home);
  const host = options.host ?? hostName();
  const paths = homePaths(home, host);
  // The lock, the discovery file and the socket are this machine's: a home shared by several
  // hosts has one agent per host, each in its own folder.
  const hostDir = paths.hostDir;
  await mkdir(home, { recursive: true, mode: 0o700 });
  await protectHome(home);
  await ensureHostFolder(paths);
  const lock = await acquireAgentLock(hostDir, logger, host);
  try {
    await adoptLegacyLayout(paths, logger);
  } catch (error) {
    await lock.release();
    throw error;
  }
  const token = createAgentToken();
  const clock = options.clock ?? systemClock;
  const events = new EventStreams({ heartbeatMs: limits.heartbeatMs, maxPerTransport: limits.maxEventStreams, clock, ...(options.events ? { subscribe: options.events } : {}) });
  const responses = new WeakMap<object, ServerResponse>();
  const refusals = new RefusalLog(logger);
  const tcp = createAgentHttpServer(limits, refusals, responses, clock);
  const unix = createAgentHttpServer(limits, refusals, responses, clock);
  let announced = false;

  const shutdown = async (): Promise<void> => {
    events.closeAll();
    await Promise.all([closeServer(tcp), closeServer(unix)]);
    if (announced) await removeDiscovery(hostDir, token);
    await lock.release();
  };

  try {
    const port = await listenTcp(tcp);
    const webUi = createWebUi(port, options.webUi);
    // Both transports get the same handler; only the Host rule differs (see request-guard.ts).
    const serve = (server: Server, transport: TransportContext): void => {
      const limiter = new ConnectionLimiter(limits.maxConnections);
      limiter.attach(server);
      const handler = createRequestHandler({
        transport,
        token,
        handlers: options.handlers,
        limits,
        logger,
        refusals,
        events,
        limiter,
        responses,
        webUi,
        ...(options.onStopRequest === undefined ? {} : { onStopRequest: options.onStopRequest }),
      });
      server.on('request', handler);
      server.on('checkContinue', handler);
    };
    serve(tcp, { kind: 'tcp', port });
    serve(unix, { kind: 'unix', port });
    const socketPath = await listenOnEndpoint(unix, home, { backlog: listenBacklog, logger, host, ...(options.runtimeDir === undefined ? {} : { runtimeDir: options.runtimeDir }) });
    announced = true;
    const path = await writeDiscovery(hostDir, { version: options.version, pid: process.pid, socket: socketPath, port, token });
    logger.info('agent listening', { socket: socketPath, port, pid: process.pid });

    let closing: Promise<void> | null = null;
    return {
      socketPath,
      port,
      token,
      discoveryPath: path,
      createUiTicket: () => webUi.issueTicket().ticket,
      close: () => (closing ??= shutdown().then(() => logger.info('agent stopped'))),
    };
  } catch (error) {
    await shutdown().catch(() => undefined);
    throw error;
  }
}

