import { describe, expect, it } from 'vitest';
import { runLogin } from '../../../core/login/login-flow.ts';
import { captureQuerySession } from '../../../core/login/query-strategy.ts';
import type { Site } from '../../../core/sites/site.ts';
import { cookie, ScriptedLoginWindows } from '../../support/scripted-login-window.ts';
import { shotgridProfile } from '../../support/sites.ts';
import { ManualClock } from '../../support/manual-clock.ts';

const clock = new ManualClock(1_700_000_000_000);
const site: Site = {
  id: 'catalyst',
  name: 'Catalyst',
  url: 'https://catalyst.example.com',
  default: true,
  profile: shotgridProfile({ preset: 'query-key', mode: 'query', renewPath: '/sso/login', landingPath: '/irLogin.aspx', sessionParam: 'SessionKey', userParam: 'un' }),
};
const landing = 'https://catalyst.example.com/irLogin.aspx';

describe('captureQuerySession', () => {
  it.each([
    ['un=ada&SessionKey=k1', 'ada', 'k1'],
    // Form decoding, as for any query string: `+` is a space, `%2B` a plus sign, `%20` a space too.
    ['un=user+name&SessionKey=a%2Bb%2Fc%3D%3D', 'user name', 'a+b/c=='],
    ['un=user%2Bname&SessionKey=a+b', 'user+name', 'a b'],
    ['un=user%20name&SessionKey=%E2%9C%93', 'user name', '✓'],
    ['SessionKey=k1&returnUrl=%2Fhome', null, 'k1'],
  ])('reads %s as user %j and key %j', (query, user, key) => {
    const result = captureQuerySession(site, `${landing}?${query}`, [cookie('ASP.NET_SessionId', 'c')], clock);
    expect(result).toEqual({
      session: {
        siteId: 'catalyst',
        siteUrl: 'https://catalyst.example.com',
        user,
        credential: { kind: 'key', name: 'SessionKey', value: key },
        cookies: [cookie('ASP.NET_SessionId', 'c')],
        obtainedAt: 1_700_000_000_000,
        expiresAt: null,
      },
    });
  });

  it('uses the configured parameter names', () => {
    const custom = { ...site, profile: { ...site.profile, sessionParam: 'sk', userParam: 'who' } };
    expect(captureQuerySession(custom, `${landing}?who=ada&sk=k2&SessionKey=other`, [], clock)).toMatchObject({
      session: { user: 'ada', credential: { name: 'sk', value: 'k2' } },
    });
  });

  it('ignores the user parameter when the profile has none', () => {
    const noUser = { ...site, profile: { ...site.profile, userParam: null } };
    expect(captureQuerySession(noUser, `${landing}?un=ada&SessionKey=k`, [], clock)).toMatchObject({ session: { user: null } });
  });

  it('falls back to SessionKey and un when the profile leaves them out', () => {
    const { sessionParam: _s, userParam: _u, ...bare } = site.profile;
    expect(captureQuerySession({ ...site, profile: bare }, `${landing}?un=ada&SessionKey=k`, [], clock)).toMatchObject({
      session: { user: 'ada', credential: { name: 'SessionKey', value: 'k' } },
    });
  });

  it.each([
    ['no key', 'un=ada', 'without the SessionKey parameter'],
    ['an empty key', 'un=ada&SessionKey=', 'without the SessionKey parameter'],
    ['the key only in the fragment', 'un=ada#SessionKey=k', 'without the SessionKey parameter'],
    ['two keys', 'SessionKey=a&SessionKey=b', 'SessionKey parameter 2 times'],
    ['two users', 'SessionKey=a&un=x&un=y', 'un parameter 2 times'],
  ])('is incomplete with %s', (_case, query, says) => {
    const result = captureQuerySession(site, `${landing}?${query}`, [], clock);
    expect(result).toMatchObject({ ending: 'incomplete' });
    expect('reason' in result && result.reason).toContain(says);
  });
});

describe('runLogin in query mode', () => {
  it('starts at the renew path and captures the key at the committed landing, not at a redirect hop', async () => {
    const windows = new ScriptedLoginWindows((emit) => {
      emit({ kind: 'redirected', from: `${site.url}/sso/login`, to: `${landing}?un=eve&SessionKey=hop` });
      emit({ kind: 'committed', url: `https://catalyst.example.com.evil.com/irLogin.aspx?SessionKey=evil`, status: 200 });
      emit({ kind: 'committed', url: `${landing}?un=ada&SessionKey=good`, status: 200 });
    });
    const result = await runLogin({ site, windows, interactive: true, clock });
    expect(result).toMatchObject({ ending: 'ok', session: { user: 'ada', credential: { kind: 'key', value: 'good' } } });
    expect(windows.navigations).toEqual(['https://catalyst.example.com/sso/login']);
    // Query mode has no site cookie to clear before the login.
    expect(windows.deleted).toEqual([]);
  });

  it('ends http_error when the landing page answers an error', async () => {
    const windows = new ScriptedLoginWindows((emit) => emit({ kind: 'committed', url: `${landing}?SessionKey=k`, status: 500 }));
    expect(await runLogin({ site, windows, interactive: true, clock })).toMatchObject({ ending: 'http_error', status: 500 });
  });
});
