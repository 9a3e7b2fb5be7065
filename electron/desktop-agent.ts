import { startAgentServer, type AgentServer } from '../core/agent/agent-server.ts';
import { createEngine, type Engine, type EngineOptions } from '../core/engine.ts';
import { operationSpecs, type Caller, type OperationHandlers, type OperationName } from '../core/operations/contract.ts';

/** The engine and the agent API that serves it: the desktop app is this home's agent (DESIGN.md section 5). */
export interface DesktopAgent {
  engine: Engine;
  server: AgentServer;
  /** Stops serving, then stops the engine. */
  close(): Promise<void>;
}

type AnyHandler = (input: unknown, caller: Caller) => Promise<unknown>;

/**
 * Starts the agent API over the home, then the engine behind it, as `latchkey agent` does: the
 * server claims the home first, so when a headless agent already serves it the app stops here,
 * before its engine could renew a session or write the session file that the other agent owns.
 * Requests that arrive in between wait for the engine. The renderer build is passed on, so the
 * agent's web UI (`latchkey ui`) finds it inside the packaged app too.
 */
export async function startDesktopAgent(options: EngineOptions & { rendererDir: string }): Promise<DesktopAgent> {
  const { promise: ready, resolve, reject } = Promise.withResolvers<Engine>();
  ready.catch(() => undefined);
  const names = Object.keys(operationSpecs) as OperationName[];
  const deferred = Object.fromEntries(
    names.map((name): [OperationName, AnyHandler] => [name, async (input, caller) => ((await ready).handlers[name] as AnyHandler)(input, caller)]),
  ) as OperationHandlers;
  const server = await startAgentServer({
    home: options.home,
    version: options.version,
    handlers: deferred,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    webUi: { rendererDir: options.rendererDir },
    events: (listener) => {
      let stop: (() => void) | null = null;
      let stopped = false;
      void ready.then((engine) => {
        if (!stopped) stop = engine.onEvent(listener);
      });
      return () => {
        stopped = true;
        stop?.();
      };
    },
  });
  let engine: Engine;
  try {
    engine = await createEngine(options);
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
