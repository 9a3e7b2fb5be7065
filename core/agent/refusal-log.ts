import { systemClock, type Clock } from '../clock.ts';
import type { LogFields, Logger } from '../log.ts';

/**
 * Logs refused requests, at most `perWindow` lines per window. Refusals are worth a line each,
 * but anyone who can reach 127.0.0.1 (another local user, or a web page making the browser send
 * requests) could otherwise grow the log without bound; the rest of a window is counted instead.
 */
export class RefusalLog {
  readonly #logger: Logger;
  readonly #perWindow: number;
  readonly #windowMs: number;
  readonly #clock: Clock;
  #windowStart = Number.NEGATIVE_INFINITY;
  #logged = 0;
  #suppressed = 0;

  constructor(logger: Logger, options: { perWindow?: number; windowMs?: number; clock?: Clock } = {}) {
    this.#logger = logger;
    this.#perWindow = options.perWindow ?? 20;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#clock = options.clock ?? systemClock;
  }

  /** Logs one refusal, unless this window's share is used up. */
  record(message: string, fields: LogFields): void {
    const now = this.#clock.now();
    if (now - this.#windowStart >= this.#windowMs) {
      if (this.#suppressed > 0) this.#logger.warn('further refused requests were not logged', { count: this.#suppressed, windowMs: this.#windowMs });
      this.#windowStart = now;
      this.#logged = 0;
      this.#suppressed = 0;
    }
    if (this.#logged < this.#perWindow) {
      this.#logged++;
      this.#logger.warn(message, fields);
    } else {
      this.#suppressed++;
    }
  }
}
