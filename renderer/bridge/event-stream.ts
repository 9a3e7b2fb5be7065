import type { AgentEvent } from '../../core/common/views.ts';

/** Where the stream stands: receiving, waiting to reconnect, or refused for good (the UI session ended). */
export type StreamState = 'open' | 'reconnecting' | 'ended';

/** What an event stream reports. */
export interface EventStreamHandlers {
  onEvent(event: AgentEvent): void;
  onState(state: StreamState): void;
}

const firstRetryMs = 1_000;
const lastRetryMs = 15_000;

/** Calls `onData` with the data of each complete Server-Sent Event in `buffer`; returns what is left over. */
function drainEvents(buffer: string, onData: (data: string) => void): string {
  let rest = buffer.replace(/\r\n?/g, '\n');
  for (let end = rest.indexOf('\n\n'); end >= 0; end = rest.indexOf('\n\n')) {
    const block = rest.slice(0, end);
    rest = rest.slice(end + 2);
    // Comment lines (`: heartbeat`) keep the stream alive and carry nothing.
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data !== '') onData(data);
  }
  return rest;
}

async function readStream(body: ReadableStream<Uint8Array>, handlers: EventStreamHandlers): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer = drainEvents(buffer + decoder.decode(value, { stream: true }), (data) => {
      try {
        handlers.onEvent(JSON.parse(data) as AgentEvent);
      } catch {
        // One malformed event is skipped; the next state event brings the UI up to date.
      }
    });
  }
}

/**
 * Reads the agent's event stream (Server-Sent Events) with `fetch` rather than `EventSource`,
 * because EventSource cannot send the UI key header. Reconnects with a growing pause while the
 * agent is away; stops when the agent refuses the UI session. Returns the function that stops it.
 */
export function openEventStream(url: string, headers: Record<string, string>, handlers: EventStreamHandlers): () => void {
  let stopped = false;
  let controller: AbortController | null = null;
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const run = async (): Promise<void> => {
    let retryMs = firstRetryMs;
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch(url, { headers, signal: controller.signal, cache: 'no-store', credentials: 'same-origin' });
        if (response.status === 401 || response.status === 403) {
          handlers.onState('ended');
          return;
        }
        if (response.ok && response.body !== null) {
          retryMs = firstRetryMs;
          handlers.onState('open');
          await readStream(response.body, handlers);
        }
      } catch {
        // The agent went away or the stream was stopped; the loop decides which.
      }
      if (stopped) return;
      handlers.onState('reconnecting');
      await pause(retryMs);
      retryMs = Math.min(retryMs * 2, lastRetryMs);
    }
  };
  void run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
