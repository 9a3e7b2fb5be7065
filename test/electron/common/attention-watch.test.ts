import { describe, expect, it } from 'vitest';
import { AttentionWatch, loginWindowNotice } from '../../../electron/common/attention-watch.ts';
import { siteView } from './site-views.ts';

const valid = { state: 'valid' as const, user: 'ada' };

describe('AttentionWatch', () => {
  it('tells once when a valid session expires', () => {
    const watch = new AttentionWatch();
    expect(watch.update([siteView('studio', valid)])).toEqual([]);
    expect(watch.update([siteView('studio', { state: 'expired' })])).toEqual([
      { site: 'studio', title: 'Log in to Studio', body: 'Its session expired. Choose Log in from the Latchkey menu.' },
    ]);
    expect(watch.update([siteView('studio', { state: 'expired' })])).toEqual([]);
  });

  it('tells when the site rejects the session', () => {
    const watch = new AttentionWatch();
    watch.update([siteView('studio', valid)]);
    expect(watch.update([siteView('studio', { state: 'invalid' })])).toEqual([
      { site: 'studio', title: 'Log in to Studio', body: 'The site no longer accepts its session. Choose Log in from the Latchkey menu.' },
    ]);
  });

  it('waits while a renewal runs, and tells only if it fails', () => {
    const watch = new AttentionWatch();
    watch.update([siteView('studio', valid)]);
    expect(watch.update([siteView('studio', { state: 'invalid' }, { loggingIn: true })])).toEqual([]);
    expect(watch.update([siteView('studio', valid)])).toEqual([]);
    expect(watch.update([siteView('studio', { state: 'invalid' }, { loggingIn: true })])).toEqual([]);
    expect(watch.update([siteView('studio', { state: 'invalid' })]).map((notice) => notice.site)).toEqual(['studio']);
  });

  it('says nothing about a logout or a site never logged in to', () => {
    const watch = new AttentionWatch();
    expect(watch.update([siteView('studio', valid), siteView('cloud')])).toEqual([]);
    expect(watch.update([siteView('studio'), siteView('cloud')])).toEqual([]);
    expect(watch.update([siteView('studio', { state: 'expired' }), siteView('cloud', { state: 'expired' })])).toEqual([]);
  });

  it('says nothing about sessions that were already gone when the app started', () => {
    expect(new AttentionWatch().update([siteView('studio', { state: 'expired' })])).toEqual([]);
  });

  it('forgets a removed site, so a new site with its id starts afresh', () => {
    const watch = new AttentionWatch();
    watch.update([siteView('studio', valid)]);
    watch.update([]);
    expect(watch.update([siteView('studio', { state: 'expired' })])).toEqual([]);
  });
});

describe('loginWindowNotice', () => {
  it('uses the window title, which names the site', () => {
    expect(loginWindowNotice('studio', 'Log in to Studio')).toEqual({
      site: 'studio',
      title: 'Log in to Studio',
      body: 'A program needs this site, and silent renewal was not enough: finish the login in the window Latchkey opened.',
    });
  });
});
