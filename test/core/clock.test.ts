import { afterEach, describe, expect, it, vi } from 'vitest';
import { clockDeadline, maxTimerStepMs, systemClock } from '../../core/clock.ts';
import { ManualClock } from '../support/manual-clock.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('systemClock.setTimer', () => {
  it('waits out a delay longer than one Node timer can hold, in steps, and runs once', () => {
    vi.useFakeTimers();
    const run = vi.fn();
    systemClock.setTimer(30 * 24 * 3_600_000, run);
    vi.advanceTimersByTime(maxTimerStepMs);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(30 * 24 * 3_600_000 - maxTimerStepMs - 1);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(30 * 24 * 3_600_000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('never runs a cancelled timer, in any step', () => {
    vi.useFakeTimers();
    const run = vi.fn();
    const timer = systemClock.setTimer(maxTimerStepMs + 10, run);
    vi.advanceTimersByTime(maxTimerStepMs);
    timer.cancel();
    vi.advanceTimersByTime(1_000);
    expect(run).not.toHaveBeenCalled();
  });
});

describe('clockDeadline', () => {
  it('aborts its signal when the time is up, counting again from a restart', () => {
    const clock = new ManualClock();
    const deadline = clockDeadline(clock, 1_000);
    clock.advance(900);
    deadline.restart();
    clock.advance(900);
    expect(deadline.signal.aborted).toBe(false);
    clock.advance(100);
    expect(deadline.signal.aborted).toBe(true);
  });

  it('leaves no timer behind once cancelled', () => {
    const clock = new ManualClock();
    clockDeadline(clock, 1_000).cancel();
    expect(clock.pending()).toEqual([]);
  });
});

describe('ManualClock', () => {
  it('runs timers in due order, each with the clock at its due time', () => {
    const clock = new ManualClock(0);
    const seen: Array<[string, number]> = [];
    clock.setTimer(30, () => seen.push(['b', clock.now()]), 'b');
    clock.setTimer(10, () => {
      seen.push(['a', clock.now()]);
      clock.setTimer(5, () => seen.push(['c', clock.now()]), 'c');
    }, 'a');
    clock.advance(100);
    expect(seen).toEqual([['a', 10], ['c', 15], ['b', 30]]);
    expect(clock.now()).toBe(100);
  });
});
