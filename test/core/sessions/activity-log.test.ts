import { describe, expect, it } from 'vitest';
import { ActivityLog } from '../../../core/sessions/activity-log.ts';

const minute = 60_000;
const start = Date.UTC(2026, 10, 23, 9, 0, 0);

describe('ActivityLog', () => {
  it('keeps the last `limit` hand-outs, newest first, however many came before', () => {
    const log = new ActivityLog(3);
    for (let i = 0; i < 10; i += 1) log.record(`site-${i}`, i % 2 === 0 ? 'script' : null, start + i * minute);
    expect(log.entries()).toEqual([
      { site: 'site-9', client: null, time: '2026-11-23T09:09:00.000Z' },
      { site: 'site-8', client: 'script', time: '2026-11-23T09:08:00.000Z' },
      { site: 'site-7', client: null, time: '2026-11-23T09:07:00.000Z' },
    ]);
  });

  it('gives copies: changing them changes nothing recorded', () => {
    const log = new ActivityLog(2);
    log.record('studio', 'a', start);
    const [first] = log.entries();
    first!.site = 'changed';
    expect(log.entries()[0]?.site).toBe('studio');
  });

  it('writes each time as its own millisecond, even within a burst in the same one', () => {
    const log = new ActivityLog(10);
    const times = [start, start, start + 1, start];
    for (const time of times) log.record('studio', null, time);
    expect(log.entries().map((entry) => entry.time)).toEqual([...times].reverse().map((time) => new Date(time).toISOString()));
  });

  it('keeps nothing when its limit is 0', () => {
    const log = new ActivityLog(0);
    log.record('studio', null, start);
    log.record('studio', null, start);
    expect(log.entries()).toEqual([]);
  });
});
