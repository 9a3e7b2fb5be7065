import { describe, expect, it } from 'vitest';
import { RefusalLog } from '../../../core/agent/refusal-log.ts';
import { createLogger } from '../../../core/log.ts';
import { ManualClock } from '../../support/manual-clock.ts';

describe('RefusalLog', () => {
  it('logs at most perWindow refusals a window, then says how many it left out', () => {
    const lines: string[] = [];
    const clock = new ManualClock(1_000_000);
    const log = new RefusalLog(createLogger({ sinks: [(line) => lines.push(line)] }), { perWindow: 3, windowMs: 60_000, clock });
    for (let i = 0; i < 10; i++) log.record('request refused', { status: 401 });
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(['request refused', 'request refused', 'request refused']);
    clock.advance(59_999);
    log.record('request refused', { status: 401 });
    expect(lines).toHaveLength(3);
    clock.advance(1);
    log.record('request refused', { status: 403 });
    const tail = lines.slice(3).map((line) => JSON.parse(line));
    expect(tail.map((entry) => [entry.message, entry.count, entry.status])).toEqual([
      ['further refused requests were not logged', 8, undefined],
      ['request refused', undefined, 403],
    ]);
  });
});
