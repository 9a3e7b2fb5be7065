/** Resource limits of the agent's HTTP transports (docs/ARCHITECTURE.md, "The agent API": "header, body, time and connection limits"). */
export interface Limits {
  /** Largest request head (request line and headers); larger is answered 431 by Node's parser. */
  maxHeaderBytes: number;
  /** Largest request body; larger is answered 413 and the rest is not read. */
  maxBodyBytes: number;
  /** Time a client has to send the whole request head, counted from the connection or the previous response. */
  headersTimeoutMs: number;
  /** Time a client has to send the whole request, head and body. */
  requestTimeoutMs: number;
  /** A connection with no traffic in either direction for this long is closed. */
  idleTimeoutMs: number;
  /** Time an idle keep-alive connection is kept between requests. */
  keepAliveTimeoutMs: number;
  /** Open connections per transport; at the limit, the oldest connection with no request in flight makes room. */
  maxConnections: number;
  /** Extra time past a long poll's `wait` before its connection counts as idle. */
  longPollMarginMs: number;
  /** Interval of the comment lines that keep an event stream alive through quiet periods. */
  heartbeatMs: number;
  /** Open event streams per transport; a new one past it closes the oldest. */
  maxEventStreams: number;
}

/** The limits an agent runs with unless told otherwise. */
export const defaultLimits: Readonly<Limits> = Object.freeze({
  // Node's own default is 16 KiB; the API's requests are a handful of short headers.
  maxHeaderBytes: 8 * 1024,
  maxBodyBytes: 64 * 1024,
  // Slowloris: a client trickling bytes keeps a connection only this long.
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  idleTimeoutMs: 10_000,
  keepAliveTimeoutMs: 2_000,
  maxConnections: 256,
  longPollMarginMs: 10_000,
  heartbeatMs: 15_000,
  // The desktop app and a few UI tabs or watchers; well under maxConnections, so streams can
  // never hold every connection of a transport.
  maxEventStreams: 32,
});

/** Fills `partial` from the defaults and checks the result; a bad limit is a TypeError (a caller mistake). */
export function resolveLimits(partial: Partial<Limits> = {}): Limits {
  const limits: Limits = { ...defaultLimits, ...partial };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`Agent limit ${name} must be a positive integer.`);
  }
  if (limits.maxEventStreams >= limits.maxConnections) throw new TypeError('Agent limit maxEventStreams must be below maxConnections.');
  // The whole request cannot be due before its head.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new TypeError('Agent limit headersTimeoutMs must not exceed requestTimeoutMs.');
  }
  return limits;
}
