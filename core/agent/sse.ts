import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, Timer } from '../clock.ts';
import type { AgentEvent } from '../common/views.ts';
import { commonResponseHeaders } from './json-response.ts';

/** Subscribes a listener to the engine's events; returns the unsubscribe function. */
export type EventSubscribe = (listener: (event: AgentEvent) => void) => () => void;

// A client that stops reading is dropped once this much is queued for it, so it cannot make the
// agent buffer events without end. Events are a few hundred bytes; the socket's own buffer takes
// the first ones.
const maxQueuedBytes = 64 * 1024;

/**
 * The open `GET /v1/events` streams (Server-Sent Events, WHATWG HTML section 9.2). Each event is
 * one `data:` line of JSON (JSON.stringify never emits a raw newline, so one line always suffices);
 * a comment line every `heartbeatMs` keeps quiet streams from looking dead to clients and proxies.
 *
 * Streams are held against the connection limits (docs/ARCHITECTURE.md, "The agent API"): at most
 * `maxPerTransport` per transport, a new one closing the oldest; a stream whose client has not
 * taken the previous heartbeat by the next one has stopped reading and is closed; and a stream
 * never counts as a request in flight, so the connection cap can close it to serve a request.
 */
export class EventStreams {
  readonly #subscribe: EventSubscribe | undefined;
  readonly #heartbeatMs: number;
  readonly #maxPerTransport: number;
  readonly #clock: Clock;
  // Per transport, in the order they opened: the first is the oldest.
  readonly #open = new Map<string, Set<ServerResponse>>();

  constructor(options: { subscribe?: EventSubscribe; heartbeatMs: number; maxPerTransport: number; clock: Clock }) {
    this.#subscribe = options.subscribe;
    this.#heartbeatMs = options.heartbeatMs;
    this.#maxPerTransport = options.maxPerTransport;
    this.#clock = options.clock;
  }

  /** Number of open streams, on every transport. */
  get size(): number {
    let size = 0;
    for (const streams of this.#open.values()) size += streams.size;
    return size;
  }

  /** Turns the response into an event stream on `transport` until the client goes or the agent closes. */
  open(req: IncomingMessage, res: ServerResponse, transport: string): void {
    const streams = this.#open.get(transport) ?? new Set<ServerResponse>();
    this.#open.set(transport, streams);
    while (streams.size >= this.#maxPerTransport) {
      const oldest = streams.values().next().value;
      if (oldest === undefined) break;
      streams.delete(oldest);
      oldest.end();
    }
    // The stream is meant to stay open and quiet between heartbeats: no idle timeout applies.
    req.socket.setTimeout(0);
    // The last thing on its connection: when the stream ends, so does the connection (a stream
    // closed to make room frees its connection at once, not after a keep-alive wait).
    res.writeHead(200, { ...commonResponseHeaders(), 'content-type': 'text/event-stream; charset=utf-8', connection: 'close' });
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
      // Bytes still queued from before: the socket's buffer is full, the client reads nothing.
      if (res.writableLength > 0) {
        res.destroy();
        return;
      }
      send(': heartbeat\n\n');
      heartbeat = this.#clock.setTimer(this.#heartbeatMs, beat, 'heartbeat');
    };
    heartbeat = this.#clock.setTimer(this.#heartbeatMs, beat, 'heartbeat');
    const unsubscribe = this.#subscribe?.((event) => send(`data: ${JSON.stringify(event)}\n\n`));
    streams.add(res);
    res.once('close', () => {
      heartbeat.cancel();
      unsubscribe?.();
      streams.delete(res);
    });
  }

  /** Ends every open stream (the agent is closing). */
  closeAll(): void {
    for (const streams of this.#open.values()) for (const res of streams) res.end();
  }
}
