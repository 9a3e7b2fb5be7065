import { describe, expect, it } from 'vitest';
import { sessionLapse } from '../../../core/sessions/session-policy.ts';
import { makeSession } from './fixtures/make-session.ts';

const minute = 60_000;
const start = Date.UTC(2026, 0, 1);

describe('sessionLapse', () => {
  const session = makeSession('studio', { obtainedAt: start, expiresAt: start + 600 * minute });
  const policy = { maxAgeMinutes: null, idleTimeoutMinutes: 1440 };

  it.each([
    ['just obtained', policy, start, start + minute, null],
    ['past the site expiry', policy, start, start + 600 * minute, 'expired'],
    ['past the maximum age', { ...policy, maxAgeMinutes: 60 }, start + 59 * minute, start + 60 * minute, 'max_age'],
    ['within the maximum age', { ...policy, maxAgeMinutes: 60 }, start, start + 59 * minute, null],
    ['idle for the whole timeout', { ...policy, idleTimeoutMinutes: 30 }, start + 10 * minute, start + 40 * minute, 'idle'],
    ['used recently enough', { ...policy, idleTimeoutMinutes: 30 }, start + 11 * minute, start + 40 * minute, null],
  ] as const)('%s → %s', (_, profile, lastUsedAt, now, lapse) => {
    expect(sessionLapse(session, profile, lastUsedAt, now)).toBe(lapse);
  });

  it('applies the default inactivity timeout of one day', () => {
    const long = makeSession('studio', { obtainedAt: start, expiresAt: null });
    expect(sessionLapse(long, policy, start, start + 1439 * minute)).toBeNull();
    expect(sessionLapse(long, policy, start, start + 1440 * minute)).toBe('idle');
  });

  it('never lets an inactivity timeout exceed seven days, even from a hand-edited profile', () => {
    const long = makeSession('studio', { obtainedAt: start, expiresAt: null });
    expect(sessionLapse(long, { maxAgeMinutes: null, idleTimeoutMinutes: 30 * 1440 }, start, start + 7 * 1440 * minute)).toBe('idle');
  });
});
