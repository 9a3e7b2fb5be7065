import type { SessionSummary, SiteView } from '../../../core/common/views.ts';
import { profileFromPreset } from '../../../core/sites/presets.ts';

/** A site as the UI sees it, for the tray and attention tests. */
export function siteView(id: string, session: Partial<SessionSummary> = {}, extra: Partial<SiteView> = {}): SiteView {
  return {
    id,
    name: id.charAt(0).toUpperCase() + id.slice(1),
    url: `https://${id}.example.com`,
    default: false,
    profile: profileFromPreset('shotgrid', {}),
    session: { state: 'none', user: null, expiresAt: null, obtainedAt: null, ...session },
    loggingIn: false,
    ...extra,
  };
}
