import { describe, expect, it } from 'vitest';
import { describeSession, expiryInWords } from '../../../electron/common/session-words.ts';

const now = Date.parse('2030-01-01T12:00:00.000Z');
const later = (ms: number): string => new Date(now + ms).toISOString();

describe('expiryInWords', () => {
  const cases: { expiresAt: string; words: string }[] = [
    { expiresAt: later(-1_000), words: 'now' },
    { expiresAt: later(0), words: 'now' },
    { expiresAt: later(30_000), words: 'in under a minute' },
    { expiresAt: later(5 * 60_000 + 59_000), words: 'in 5 min' },
    { expiresAt: later(59 * 60_000), words: 'in 59 min' },
    { expiresAt: later(60 * 60_000), words: 'in 1 h' },
    { expiresAt: later(47 * 3600_000), words: 'in 47 h' },
    { expiresAt: later(49 * 3600_000), words: 'in 2 days' },
    { expiresAt: 'not a date', words: 'at an unknown time' },
  ];
  for (const { expiresAt, words } of cases) {
    it(`says "${words}" for ${expiresAt}`, () => {
      expect(expiryInWords(expiresAt, now)).toBe(words);
    });
  }
});

describe('describeSession', () => {
  const base = { user: 'ada', expiresAt: later(3 * 3600_000), obtainedAt: later(-600_000) };
  const cases: { state: 'valid' | 'expired' | 'invalid' | 'none'; user: string | null; expiresAt: string | null; loggingIn: boolean; words: string }[] = [
    { state: 'valid', user: 'ada', expiresAt: base.expiresAt, loggingIn: false, words: 'ada, expires in 3 h' },
    { state: 'valid', user: 'ada', expiresAt: null, loggingIn: false, words: 'ada, no known expiry' },
    { state: 'valid', user: null, expiresAt: base.expiresAt, loggingIn: false, words: 'logged in, expires in 3 h' },
    { state: 'expired', user: 'ada', expiresAt: base.expiresAt, loggingIn: false, words: 'session expired' },
    { state: 'invalid', user: 'ada', expiresAt: base.expiresAt, loggingIn: false, words: 'session rejected by the site' },
    { state: 'none', user: null, expiresAt: null, loggingIn: false, words: 'not logged in' },
    { state: 'valid', user: 'ada', expiresAt: base.expiresAt, loggingIn: true, words: 'logging in…' },
  ];
  for (const { state, user, expiresAt, loggingIn, words } of cases) {
    it(`says "${words}" for a ${state} session${loggingIn ? ' while logging in' : ''}`, () => {
      expect(describeSession({ state, user, expiresAt, obtainedAt: base.obtainedAt }, loggingIn, now)).toBe(words);
    });
  }
});
