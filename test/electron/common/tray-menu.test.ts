import { describe, expect, it } from 'vitest';
import { trayMenuModel } from '../../../electron/common/tray-menu.ts';
import { siteView } from './site-views.ts';

const now = Date.parse('2030-01-01T12:00:00.000Z');
const inTwoHours = new Date(now + 2 * 3600_000).toISOString();
const toggles = { notifications: true, startMinimised: false, startAtLogin: false };

const footer = [
  { kind: 'item', label: 'Open Latchkey', command: { kind: 'open' } },
  { kind: 'separator' },
  { kind: 'check', label: 'Notifications', checked: true, command: { kind: 'toggle', preference: 'notifications' } },
  { kind: 'check', label: 'Start minimised', checked: false, command: { kind: 'toggle', preference: 'startMinimised' } },
  { kind: 'check', label: 'Start at login', checked: false, command: { kind: 'startAtLogin', on: true } },
  { kind: 'separator' },
  { kind: 'item', label: 'Quit Latchkey', command: { kind: 'quit' } },
];

describe('trayMenuModel', () => {
  it('lists each site with its user, expiry and action, then the app commands', () => {
    const sites = [
      siteView('studio', { state: 'valid', user: 'ada', expiresAt: inTwoHours, obtainedAt: null }, { default: true }),
      siteView('cloud', { state: 'expired', user: 'ada', expiresAt: null, obtainedAt: null }),
      siteView('portal', {}, { loggingIn: true }),
      siteView('catalyst'),
    ];
    expect(trayMenuModel(sites, toggles, now)).toEqual([
      { kind: 'site', site: 'studio', label: 'Studio (default)', detail: 'ada, expires in 2 h', action: { label: 'Log out', command: { kind: 'logout', site: 'studio' } } },
      { kind: 'site', site: 'cloud', label: 'Cloud', detail: 'session expired', action: { label: 'Log in…', command: { kind: 'login', site: 'cloud' } } },
      { kind: 'site', site: 'portal', label: 'Portal', detail: 'logging in…', action: null },
      { kind: 'site', site: 'catalyst', label: 'Catalyst', detail: 'not logged in', action: { label: 'Log in…', command: { kind: 'login', site: 'catalyst' } } },
      { kind: 'separator' },
      ...footer,
    ]);
  });

  it('has only the app commands when there are no sites', () => {
    expect(trayMenuModel([], toggles, now)).toEqual(footer);
  });

  it('shows the toggles as they are set', () => {
    const model = trayMenuModel([], { notifications: false, startMinimised: true, startAtLogin: true }, now);
    expect(model.filter((entry) => entry.kind === 'check').map((entry) => entry.kind === 'check' && entry.checked)).toEqual([false, true, true]);
    // Choosing "Start at login" asks for the opposite of what is set.
    expect(model.find((entry) => entry.kind === 'check' && entry.label === 'Start at login')).toMatchObject({ command: { kind: 'startAtLogin', on: false } });
  });
});
