import { describe, expect, it } from 'vitest';
import { hasHiddenCharacters } from '../../../core/common/display-text.ts';
import { AttentionWatch, loginWindowNotice } from '../../../electron/common/attention-watch.ts';
import { trayMenuModel } from '../../../electron/common/tray-menu.ts';
import { trayTooltip } from '../../../electron/common/tray-state.ts';
import { hiddenCharacters, hostileTexts } from '../../support/hidden-characters.ts';
import { siteView } from './site-views.ts';

// A name from a hand-edited site list, a user label from a cookie that the site (or a sibling
// subdomain, through Domain=) set: the tray, its tooltip and notifications show them cleaned.
const texts = [...hostileTexts, ...hiddenCharacters().map((character) => `ada${character}root`)];
const toggles = { notifications: true, startMinimised: false, startAtLogin: false };
const now = Date.parse('2030-01-01T12:00:00.000Z');

function shown(values: readonly string[]): string[] {
  return values.filter((value) => hasHiddenCharacters(value));
}

describe('the tray and notifications, given hostile names and labels', () => {
  it('show every site name and user label without a control, bidi or invisible character', () => {
    const leaked: string[] = [];
    for (const text of texts) {
      const valid = siteView('studio', { state: 'valid', user: text, expiresAt: null, obtainedAt: null }, { name: text, default: true });
      const busy = siteView('cloud', {}, { name: text, loggingIn: true });
      const lapsed = siteView('portal', { state: 'expired', user: text, expiresAt: null, obtainedAt: null }, { name: text });
      const menu = trayMenuModel([valid, busy, lapsed], toggles, now).flatMap((entry) => (entry.kind === 'site' ? [entry.label, entry.detail] : []));
      const watch = new AttentionWatch();
      watch.update([{ ...lapsed, session: { ...lapsed.session, state: 'valid' } }]);
      const notices = watch.update([lapsed]).flatMap((notice) => [notice.title, notice.body]);
      const window = loginWindowNotice('studio', `Log in to ${text}`);
      leaked.push(...shown([...menu, trayTooltip([busy]), trayTooltip([lapsed]), ...notices, window.title]));
    }
    expect(leaked).toEqual([]);
  });
});
