import type { Clock, Timer } from '../../core/clock.ts';

/** A timer waiting on a ManualClock. */
export interface PendingTimer {
  /** When it runs, on the clock (epoch ms). */
  due: number;
  /** The delay it was set with. */
  delay: number;
  name: string;
}

interface Entry extends PendingTimer {
  run: () => void;
  order: number;
}

/**
 * A clock that moves only when the test moves it. Timers run in due order as `advance` passes
 * them, each with the clock showing its due time. Tests that need a timer to exist first wait for
 * it with `whenTimer` (an event, not a sleep).
 */
export class ManualClock implements Clock {
  #now: number;
  #order = 0;
  readonly #timers = new Set<Entry>();
  readonly #waiters = new Set<{ match: (timer: PendingTimer) => boolean; resolve: (timer: PendingTimer) => void }>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, run: () => void, name = 'timer'): Timer {
    const entry: Entry = { due: this.#now + Math.max(0, ms), delay: ms, name, run, order: this.#order++ };
    this.#timers.add(entry);
    for (const waiter of [...this.#waiters]) {
      if (waiter.match(entry)) {
        this.#waiters.delete(waiter);
        waiter.resolve(entry);
      }
    }
    return { cancel: () => void this.#timers.delete(entry) };
  }

  /** The timers not yet run, soonest first. */
  pending(): PendingTimer[] {
    return [...this.#timers].sort((a, b) => a.due - b.due || a.order - b.order).map(({ due, delay, name }) => ({ due, delay, name }));
  }

  /** Moves the clock forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const next = [...this.#timers].filter((timer) => timer.due <= end).sort((a, b) => a.due - b.due || a.order - b.order)[0];
      if (next === undefined) break;
      this.#timers.delete(next);
      this.#now = Math.max(this.#now, next.due);
      next.run();
    }
    this.#now = end;
  }

  /**
   * Moves the clock forward by `ms` without running any timer, as a laptop's sleep does to the
   * wall clock: timers that fell due meanwhile run at the next `advance` (late, as Node's do).
   */
  jump(ms: number): void {
    this.#now += ms;
  }

  /** Moves the clock to the named pending timer's due time, running it (and any due before it). */
  runTimer(name: string): void {
    const timer = this.pending().find((pending) => pending.name === name);
    if (timer === undefined) throw new Error(`no pending timer named ${JSON.stringify(name)}`);
    this.advance(Math.max(0, timer.due - this.#now));
  }

  /** Resolves with the first pending timer named `name` (at once if one is pending), else when one is set. */
  whenTimer(name: string): Promise<PendingTimer> {
    const match = (timer: PendingTimer): boolean => timer.name === name;
    const existing = this.pending().find(match);
    if (existing !== undefined) return Promise.resolve(existing);
    return new Promise((resolve) => this.#waiters.add({ match, resolve }));
  }
}
