import { setTimeout as pause } from 'node:timers/promises';

/**
 * Resolves with `read()`'s value once `accept` takes it, reading it again every few milliseconds:
 * for conditions that announce no event of their own (another process's state). It has no bound
 * of its own: a condition that never comes is ended by the test run's timeout.
 */
export async function until<T>(read: () => T | Promise<T>, accept: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    await pause(25);
  }
}
