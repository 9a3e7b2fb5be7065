import { basename } from 'node:path';
import { errorFromBody } from '../../core/common/errors.ts';
import { transportRoutes, type OperationName, type OperationRequests, type OperationResults } from '../../core/common/operations.ts';
import { buildRequest } from '../../core/common/request.ts';
import type { AgentEvent, StopAgentReply, UiTicketReply } from '../../core/common/views.ts';
import { sendAgentRequest, type AgentRoute } from './agent-transport.ts';
import { discoveryFilePath, readDiscoveryFile } from './discovery.ts';

/** How to reach the agent. */
export interface ConnectOptions {
  /** Where `LATCHKEY_AGENT`, `LATCHKEY_HOME` and the platform's app-data variables are read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The name the agent records for this client's hand-outs (`X-Latchkey-Client`); default `node <script>`. */
  client?: string;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborting it ends the call (and the agent stops waiting for this caller); the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** A connection to the running agent: every operation of the contract, typed from it. */
export interface AgentClient {
  /** The discovery file this client read. */
  readonly discoveryPath: string;
  /** The agent's pid and version, as it announced them. */
  readonly agent: { pid: number; version: string };
  /** Calls one operation; rejects with a LatchkeyError carrying the agent's code, message, hint and details. */
  call<N extends OperationName>(name: N, request: OperationRequests[N], options?: CallOptions): Promise<OperationResults[N]>;
  /** A one-time URL that opens the agent's web UI in a browser (valid 60 s, single use). */
  uiTicket(options?: CallOptions): Promise<UiTicketReply>;
  /**
   * Follows the agent's events (sites, sessions, logins, and what a login asks of the person)
   * until the returned function is called; resolves once the stream is open.
   */
  events(listener: (event: AgentEvent) => void): Promise<() => void>;
  /** Asks the agent to stop; it answers first, then closes (`latchkey agent stop`). The desktop app refuses. */
  stopAgent(options?: CallOptions): Promise<StopAgentReply>;
  /** Ends the calls under way (they reject with an AbortError); later calls still work. Nothing is held open between calls. */
  close(): void;
}

/** The agent keeps client names to 64 printable ASCII characters; anything else would be dropped there. */
function clientName(chosen: string | undefined): string {
  const name = chosen ?? `node ${basename(process.argv[1] ?? 'script')}`;
  const printable = name.replace(/[^\x20-\x7e]/g, '?').trim();
  return (printable === '' ? 'node' : printable).slice(0, 64);
}

/** A request on one of the transport's own routes (they take no body). */
async function transportCall<T>(route: AgentRoute, name: 'uiTicket' | 'stopAgent', callOptions: CallOptions): Promise<T> {
  const { method, path } = transportRoutes[name];
  const reply = await sendAgentRequest(route, { method, target: path, body: null }, callOptions.signal);
  if (reply.status === 200) return reply.body as T;
  throw errorFromBody(reply.status, reply.body);
}

/**
 * Reads the agent's discovery file (`LATCHKEY_AGENT`, else `<home>/agent.json`) and returns a
 * client for it. It does not contact the agent: the first call finds out whether it answers.
 * Throws a LatchkeyError `agent_not_running` when there is no usable discovery file.
 */
export async function connectAgent(options: ConnectOptions = {}): Promise<AgentClient> {
  const discoveryPath = discoveryFilePath(options.env ?? process.env);
  const discovery = readDiscoveryFile(discoveryPath);
  const route: AgentRoute = {
    discovery,
    discoveryPath,
    client: clientName(options.client),
    calls: new AbortController(),
  };
  return {
    discoveryPath,
    agent: { pid: discovery.pid, version: discovery.version },
    call: async (name, request, callOptions = {}) => {
      const reply = await sendAgentRequest(route, buildRequest(name, request), callOptions.signal);
      if (reply.status === 200) return reply.body as OperationResults[typeof name];
      throw errorFromBody(reply.status, reply.body);
    },
    uiTicket: (callOptions = {}) => transportCall<UiTicketReply>(route, 'uiTicket', callOptions),
    stopAgent: (callOptions = {}) => transportCall<StopAgentReply>(route, 'stopAgent', callOptions),
    events: async (listener) => (await import('./event-stream.ts')).openEventStream(route, listener),
    close: () => {
      const ending = route.calls;
      route.calls = new AbortController();
      ending.abort(new DOMException('The Latchkey client was closed.', 'AbortError'));
    },
  };
}
