/** A timer set on a clock; cancelling one that already ran does nothing. */
export interface Timer {
  cancel(): void;
}

/**
 * The time source and its timers, injected so that tests move time by hand instead of sleeping
 * (docs/ARCHITECTURE.md, "Time"). Every delay in the engine (login deadlines, silent renewal,
 * renewal before expiry, event-stream heartbeats) goes through one.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Calls `run` once, `ms` milliseconds from now. Any delay works, days or months included. A
   * clock's timers never keep the process alive on their own: whoever waits for one holds
   * something else open (a socket, a browser, a server). `name` says what the timer is for, in
   * tests.
   */
  setTimer(ms: number, run: () => void, name?: string): Timer;
}

/**
 * Node turns a delay above this into 1 ms (with a warning), which once made an agent renew a
 * long-lived session in a loop. Longer delays are waited in steps of at most this.
 */
export const maxTimerStepMs = 2 ** 31 - 1;

function systemTimer(ms: number, run: () => void): Timer {
  let left = Math.max(0, ms);
  let handle: NodeJS.Timeout;
  const arm = (): void => {
    const step = Math.min(left, maxTimerStepMs);
    handle = setTimeout(() => {
      left -= step;
      if (left > 0) arm();
      else run();
    }, step);
    handle.unref();
  };
  arm();
  return { cancel: () => clearTimeout(handle) };
}

/** The wall clock, with Node's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: systemTimer,
};

/** An AbortSignal that aborts `ms` from now on `clock`; `restart` counts the time again from now, `cancel` drops the timer. */
export function clockDeadline(clock: Clock, ms: number, name = 'deadline'): { signal: AbortSignal; cancel(): void; restart(): void } {
  const controller = new AbortController();
  let timer = clock.setTimer(ms, () => controller.abort(), name);
  return {
    signal: controller.signal,
    cancel: () => timer.cancel(),
    restart: () => {
      timer.cancel();
      if (!controller.signal.aborted) timer = clock.setTimer(ms, () => controller.abort(), name);
    },
  };
}
