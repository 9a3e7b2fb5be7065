import type { Bridge, BridgeResult } from '../../core/common/operations.ts';
import type { AgentEvent } from '../../core/common/views.ts';
import { errorFromBody } from '../../core/common/errors.ts';
import { transportRoutes } from '../../core/common/operations.ts';
import { buildRequest } from '../../core/common/request.ts';
import { openEventStream, type StreamState } from './event-stream.ts';

/** How the UI's link to the engine stands; `ended` means the agent no longer accepts this page. */
export type ConnectionState = 'connecting' | StreamState;

/** A Bridge that also tells whether it is connected (the HTTP one can lose its agent; IPC cannot). */
export interface ObservableBridge extends Bridge {
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

/** True when `bridge` reports its connection. */
export function isObservable(bridge: Bridge): bridge is ObservableBridge {
  return typeof (bridge as Partial<ObservableBridge>).onConnection === 'function';
}

/** The header the agent's web UI API requires (core/agent/web-ui-guard.ts). */
const keyHeader = 'X-Latchkey-UI';

type Failure = Extract<BridgeResult<unknown>, { ok: false }>;

async function failureOf(response: Response): Promise<Failure> {
  const error = errorFromBody(response.status, await response.json().catch(() => null));
  return { ok: false, error: error.hint === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, hint: error.hint } };
}

/**
 * The Bridge of the agent's web UI: the same operations over HTTP to `apiBase` (the agent's
 * `/ui/api`), with the page's UI key in a header; the session cookie goes along by itself.
 */
export function createHttpBridge(apiBase: string, key: string): ObservableBridge {
  const headers = { [keyHeader]: key, accept: 'application/json' };
  const eventListeners = new Set<(event: AgentEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let connection: ConnectionState = 'connecting';
  let stopStream: (() => void) | null = null;
  let wasOpen = false;

  const setConnection = (state: ConnectionState): void => {
    if (state === connection || connection === 'ended') return;
    connection = state;
    for (const listener of [...connectionListeners]) listener(state);
  };
  const emit = (event: AgentEvent): void => {
    for (const listener of [...eventListeners]) listener(event);
  };

  const bridge: ObservableBridge = {
    call: async (name, request) => {
      const { method, target, body } = buildRequest(name, request);
      let response: Response;
      try {
        response = await fetch(apiBase + target, {
          method,
          headers: body === null ? headers : { ...headers, 'content-type': 'application/json' },
          ...(body === null ? {} : { body }),
          cache: 'no-store',
          credentials: 'same-origin',
        });
      } catch {
        return { ok: false, error: { code: 'agent_not_running', message: 'The Latchkey agent did not answer. Is it still running?' } };
      }
      if (response.status === 401) setConnection('ended');
      if (!response.ok) return failureOf(response);
      return { ok: true, value: await response.json() };
    },
    onEvent: (listener) => {
      eventListeners.add(listener);
      stopStream ??= openEventStream(apiBase + transportRoutes.events.path, headers, {
        onEvent: emit,
        onState: (state) => {
          setConnection(state);
          if (state !== 'open') return;
          // Events sent while the stream was down are lost: after a reconnection, catch up.
          if (wasOpen) {
            void bridge.call('listSites', {}).then((result) => {
              if (result.ok) emit({ type: 'sites', sites: result.value });
            });
          }
          wasOpen = true;
        },
      });
      return () => {
        eventListeners.delete(listener);
        if (eventListeners.size === 0) {
          stopStream?.();
          stopStream = null;
          wasOpen = false;
        }
      };
    },
    onConnection: (listener) => {
      connectionListeners.add(listener);
      listener(connection);
      return () => connectionListeners.delete(listener);
    },
  };
  return bridge;
}
