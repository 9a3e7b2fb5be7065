import { forDisplay } from '../../core/common/display-text.ts';
import type { SiteView } from '../../core/common/views.ts';

/** A desktop notification to show. */
export interface Notice {
  site: string;
  title: string;
  body: string;
}

/**
 * Decides when a site needs the person: it had a valid session, and now, with no login running,
 * it has none (it expired, the site rejected it, or silent renewal failed). Each loss is told
 * once; a site the person logged out of, or never logged in to, is not news.
 */
export class AttentionWatch {
  readonly #hadSession = new Set<string>();

  /** Takes the current site list; returns the notices it calls for. */
  update(sites: readonly SiteView[]): Notice[] {
    const notices: Notice[] = [];
    const present = new Set(sites.map((site) => site.id));
    for (const id of this.#hadSession) if (!present.has(id)) this.#hadSession.delete(id);
    for (const site of sites) {
      const state = site.session.state;
      if (state === 'valid') {
        this.#hadSession.add(site.id);
      } else if (state === 'none') {
        this.#hadSession.delete(site.id);
      } else if (!site.loggingIn && this.#hadSession.delete(site.id)) {
        const why = state === 'expired' ? 'Its session expired' : 'The site no longer accepts its session';
        notices.push({ site: site.id, title: `Log in to ${forDisplay(site.name)}`, body: `${why}. Choose Log in from the Latchkey menu.` });
      }
    }
    return notices;
  }
}

/**
 * The notice shown when Latchkey opens a visible login window that the person did not ask for in
 * the app (a script needs a session and renewal failed): the window's title names the site.
 */
export function loginWindowNotice(site: string, windowTitle: string): Notice {
  return { site, title: forDisplay(windowTitle), body: 'A program needs this site, and silent renewal was not enough: finish the login in the window Latchkey opened.' };
}
