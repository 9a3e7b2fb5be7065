import { describe, expect, it } from 'vitest';
import { sitesNeedingLogin, trayState, trayTooltip } from '../../../electron/common/tray-state.ts';
import { siteView } from './site-views.ts';

const valid = { state: 'valid' as const, user: 'ada', expiresAt: '2030-01-01T00:00:00.000Z', obtainedAt: '2029-12-31T00:00:00.000Z' };

describe('trayState', () => {
  const cases: { sites: ReturnType<typeof siteView>[]; state: string; tooltip: string; why: string }[] = [
    { sites: [], state: 'ok', tooltip: 'Latchkey: no sites yet', why: 'no sites at all' },
    { sites: [siteView('studio', valid)], state: 'ok', tooltip: 'Latchkey: 1 site logged in', why: 'one valid session' },
    { sites: [siteView('studio', valid), siteView('cloud', valid)], state: 'ok', tooltip: 'Latchkey: 2 sites logged in', why: 'every session valid' },
    { sites: [siteView('studio', valid), siteView('cloud')], state: 'attention', tooltip: 'Latchkey: Cloud needs a login', why: 'a site never logged in to' },
    { sites: [siteView('studio', { ...valid, state: 'expired' })], state: 'attention', tooltip: 'Latchkey: Studio needs a login', why: 'an expired session' },
    {
      sites: [siteView('studio', { ...valid, state: 'invalid' }), siteView('cloud', { ...valid, state: 'expired' })],
      state: 'attention',
      tooltip: 'Latchkey: 2 sites need a login',
      why: 'two sites without a session',
    },
    {
      sites: [siteView('studio', {}, { loggingIn: true }), siteView('cloud')],
      state: 'busy',
      tooltip: 'Latchkey: logging in to Studio',
      why: 'a login running, even with another site needing one',
    },
    {
      sites: [siteView('studio', valid, { loggingIn: true }), siteView('cloud', {}, { loggingIn: true })],
      state: 'busy',
      tooltip: 'Latchkey: logging in to Studio, Cloud',
      why: 'two logins running',
    },
  ];
  for (const { sites, state, tooltip, why } of cases) {
    it(`is ${state} with ${why}`, () => {
      expect(trayState(sites)).toBe(state);
      expect(trayTooltip(sites)).toBe(tooltip);
    });
  }
});

describe('sitesNeedingLogin', () => {
  it('lists the sites without a valid session and with no login running', () => {
    const sites = [siteView('a', valid), siteView('b'), siteView('c', {}, { loggingIn: true }), siteView('d', { state: 'invalid' })];
    expect(sitesNeedingLogin(sites).map((site) => site.id)).toEqual(['b', 'd']);
  });
});
