import { startAgentServer, type AgentServer } from './agent-server.ts';
import type { EventSubscribe } from './sse.ts';
import type { WebUiOptions } from './web-ui.ts';
import { createEngine, type Engine, type EngineOptions } from '../engine.ts';
import { homePaths } from '../home.ts';
import { createLogger, fileSink } from '../log.ts';
import type { Caller, OperationHandlers } from '../operations/inputs.ts';
import { operationRoutes, type OperationName } from '../common/operations.ts';

/** An engine served by the agent API: what `latchkey agent`, `latchkey demo` and the desktop app run. */
export interface AgentHost {
  engine: Engine;
  server: AgentServer;
  /** Stops serving, then stops the engine. */
  close(): Promise<void>;
}

/**
 * Handlers that wait for the engine. The server claims the home (its lock) before the engine is
 * built, so a second agent is refused before its engine could start a renewal or touch the
 * session file that the running agent owns.
 */
function deferredHandlers(ready: Promise<Engine>): OperationHandlers {
  const names = Object.keys(operationRoutes) as OperationName[];
  const entries = names.map((name) => {
    const handler = async (input: never, caller: Caller): Promise<unknown> => {
      const handlers = (await ready).handlers as Record<OperationName, (input: never, caller: Caller) => Promise<unknown>>;
      return handlers[name](input, caller);
    };
    return [name, handler];
  });
  return Object.fromEntries(entries) as OperationHandlers;
}

function deferredEvents(ready: Promise<Engine>): EventSubscribe {
  return (listener) => {
    let unsubscribe: (() => void) | null = null;
    let closed = false;
    void ready.then((engine) => {
      if (!closed) unsubscribe = engine.onEvent(listener);
    });
    return () => {
      closed = true;
      unsubscribe?.();
    };
  };
}

/** Starts the agent API over `options.home`, then the engine behind it. Throws `agent_running` when the home has an agent. */
export async function startAgentHost(options: EngineOptions & { runtimeDir?: string; webUi?: WebUiOptions; onStopRequest?: () => void }): Promise<AgentHost> {
  const logger = options.logger ?? createLogger({ sinks: [fileSink(homePaths(options.home, options.host).log), ...(options.logSinks ?? [])], level: options.logLevel ?? 'info' });
  const { promise: ready, resolve, reject } = Promise.withResolvers<Engine>();
  // Requests only ever await `ready` through the handlers; a failed start is reported below.
  ready.catch(() => undefined);
  const server = await startAgentServer({
    home: options.home,
    handlers: deferredHandlers(ready),
    events: deferredEvents(ready),
    logger,
    version: options.version,
    ...(options.runtimeDir === undefined ? {} : { runtimeDir: options.runtimeDir }),
    ...(options.webUi === undefined ? {} : { webUi: options.webUi }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.onStopRequest === undefined ? {} : { onStopRequest: options.onStopRequest }),
    ...(options.host === undefined ? {} : { host: options.host }),
  });
  let engine: Engine;
  try {
    engine = await createEngine({ ...options, logger });
  } catch (error) {
    reject(error);
    await server.close();
    throw error;
  }
  resolve(engine);
  return {
    engine,
    server,
    close: async () => {
      await server.close();
      engine.close();
    },
  };
}
