import type { SiteView } from '../../core/common/views.ts';
import { siteForDisplay } from '../../core/common/display-text.ts';
import { describeSession } from './session-words.ts';

/** The app's own preferences that the tray menu can toggle. */
export interface TrayToggles {
  notifications: boolean;
  startMinimised: boolean;
}

/** What the tray shows of settings that are not the app's preferences. */
export interface TraySettings {
  /** The app starts at login (login items, or an autostart entry on Linux). */
  startAtLogin: boolean;
}

/** What choosing a tray menu entry does. */
export type TrayCommand =
  | { kind: 'login'; site: string }
  | { kind: 'logout'; site: string }
  | { kind: 'open' }
  | { kind: 'toggle'; preference: keyof TrayToggles }
  | { kind: 'startAtLogin'; on: boolean }
  | { kind: 'quit' };

/** One entry of the tray menu, free of Electron types so that it can be tested in plain Node. */
export type TrayMenuEntry =
  | { kind: 'site'; site: string; label: string; detail: string; action: { label: string; command: TrayCommand } | null }
  | { kind: 'item'; label: string; command: TrayCommand }
  | { kind: 'check'; label: string; checked: boolean; command: TrayCommand }
  | { kind: 'separator' };

function siteEntry(listed: SiteView, now: number): TrayMenuEntry {
  // Names and labels come from sites and cookies: shown cleaned (display-text.ts).
  const site = siteForDisplay(listed);
  const detail = describeSession(site.session, site.loggingIn, now);
  // A running login has nothing to offer but patience; a valid session can be ended; anything else needs a login.
  const action = site.loggingIn
    ? null
    : site.session.state === 'valid'
      ? { label: 'Log out', command: { kind: 'logout', site: site.id } as const }
      : { label: 'Log in…', command: { kind: 'login', site: site.id } as const };
  return { kind: 'site', site: site.id, label: site.default ? `${site.name} (default)` : site.name, detail, action };
}

/**
 * The tray menu for a site list: each site with its user and expiry and a log in or log out
 * action, then opening the app, the app's toggles and quitting. Rebuilt on every engine event.
 */
export function trayMenuModel(sites: readonly SiteView[], toggles: TrayToggles & TraySettings, now: number): TrayMenuEntry[] {
  const entries: TrayMenuEntry[] = sites.map((site) => siteEntry(site, now));
  if (entries.length > 0) entries.push({ kind: 'separator' });
  entries.push(
    { kind: 'item', label: 'Open Latchkey', command: { kind: 'open' } },
    { kind: 'separator' },
    { kind: 'check', label: 'Notifications', checked: toggles.notifications, command: { kind: 'toggle', preference: 'notifications' } },
    { kind: 'check', label: 'Start minimised', checked: toggles.startMinimised, command: { kind: 'toggle', preference: 'startMinimised' } },
    { kind: 'check', label: 'Start at login', checked: toggles.startAtLogin, command: { kind: 'startAtLogin', on: !toggles.startAtLogin } },
    { kind: 'separator' },
    { kind: 'item', label: 'Quit Latchkey', command: { kind: 'quit' } },
  );
  return entries;
}
