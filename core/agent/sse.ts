import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, Timer } from '../clock.ts';
import type { AgentEvent } from '../common/views.ts';
import { commonResponseHeaders } from './json-response.ts';

/** Subscribes a listener to the engine's events; returns the unsubscribe function. */
export type EventSubscribe = (listener: (event: AgentEvent) => void) => () => void;

// A client that stops reading is dropped once this much is queued for it, so it cannot make the
// agent buffer events without end.
const maxQueuedBytes = 1024 * 1024;

/**
 * The open `GET /v1/events` streams (Server-Sent Events, WHATWG HTML section 9.2). Each event is
 * one `data:` line of JSON (JSON.stringify never emits a raw newline, so one line always suffices);
 * a comment line every `heartbeatMs` keeps quiet streams from looking dead to clients and proxies.
 */
export class EventStreams {
  readonly #subscribe: EventSubscribe | undefined;
  readonly #heartbeatMs: number;
  readonly #clock: Clock;
  readonly #open = new Set<ServerResponse>();

  constructor(options: { subscribe?: EventSubscribe; heartbeatMs: number; clock: Clock }) {
    this.#subscribe = options.subscribe;
    this.#heartbeatMs = options.heartbeatMs;
    this.#clock = options.clock;
  }

  /** Number of open streams. */
  get size(): number {
    return this.#open.size;
  }

  /** Turns the response into an event stream until the client goes or the agent closes. */
  open(req: IncomingMessage, res: ServerResponse): void {
    // The stream is meant to stay open and quiet between heartbeats: no idle timeout applies.
    req.socket.setTimeout(0);
    res.writeHead(200, { ...commonResponseHeaders(), 'content-type': 'text/event-stream; charset=utf-8' });
    const send = (text: string): void => {
      if (res.writableEnded || res.destroyed) return;
      if (res.writableLength > maxQueuedBytes) {
        res.destroy();
        return;
      }
      res.write(text);
    };
    // The first bytes flush the headers, so the client knows the stream is open.
    send(': latchkey events\n\n');
    // A heartbeat only while a stream is open: an agent with no stream has no timer this frequent.
    let heartbeat: Timer;
    const beat = (): void => {
      send(': heartbeat\n\n');
      heartbeat = this.#clock.setTimer(this.#heartbeatMs, beat, 'heartbeat');
    };
    heartbeat = this.#clock.setTimer(this.#heartbeatMs, beat, 'heartbeat');
    const unsubscribe = this.#subscribe?.((event) => send(`data: ${JSON.stringify(event)}\n\n`));
    this.#open.add(res);
    res.once('close', () => {
      heartbeat.cancel();
      unsubscribe?.();
      this.#open.delete(res);
    });
  }

  /** Ends every open stream (the agent is closing). */
  closeAll(): void {
    for (const res of this.#open) res.end();
  }
}
