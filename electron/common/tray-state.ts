import { forDisplay } from '../../core/common/display-text.ts';
import type { SiteView } from '../../core/common/views.ts';

/** What the tray icon shows: every session good, a site that needs the person, or a login running. */
export type TrayState = 'ok' | 'attention' | 'busy';

/** Sites whose session is not valid: each needs a login, by renewal or by the person. */
export function sitesNeedingLogin(sites: readonly SiteView[]): SiteView[] {
  return sites.filter((site) => !site.loggingIn && site.session.state !== 'valid');
}

/**
 * The tray state for a site list. A running login wins (the person may have a window to finish),
 * then any site without a valid session; no sites at all is `ok`, since nothing is wrong.
 */
export function trayState(sites: readonly SiteView[]): TrayState {
  if (sites.some((site) => site.loggingIn)) return 'busy';
  if (sitesNeedingLogin(sites).length > 0) return 'attention';
  return 'ok';
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The tray's tooltip: the state in words, naming the site when there is one. */
export function trayTooltip(sites: readonly SiteView[]): string {
  const state = trayState(sites);
  if (state === 'busy') {
    const names = sites.filter((site) => site.loggingIn).map((site) => forDisplay(site.name));
    return `Latchkey: logging in to ${names.join(', ')}`;
  }
  if (state === 'attention') {
    const needing = sitesNeedingLogin(sites);
    return needing.length === 1 ? `Latchkey: ${forDisplay(needing[0]?.name ?? '')} needs a login` : `Latchkey: ${plural(needing.length, 'site needs', 'sites need')} a login`;
  }
  return sites.length === 0 ? 'Latchkey: no sites yet' : `Latchkey: ${plural(sites.length, 'site', 'sites')} logged in`;
}
