// Text that came from outside (a user label from a cookie, a site name, a server's error message)
// is cleaned before a person sees it (docs/ARCHITECTURE.md, "Security model"): a terminal obeys
// escape sequences, and bidi overrides or invisible characters make one text read as another.

import type { SessionSummary, SiteView } from './views.ts';

/**
 * C0 and C1 controls (DEL included), and the Unicode format characters that reorder or hide text:
 * the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the marks
 * (U+200E, U+200F, U+061C), zero-width characters (U+200B–U+200D, U+2060–U+2064, U+FEFF), the soft
 * hyphen, and the line and paragraph separators (U+2028, U+2029). Every character of Unicode's
 * general category Cf is included, so a format character added later is covered too.
 */
let pattern: RegExp | undefined;
// Made when first used: building its Unicode property classes is a measurable part of a short command's start.
const hiddenOrControl = (): RegExp => {
  pattern ??= /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
  pattern.lastIndex = 0;
  return pattern;
};

/** True when `text` holds a character that a person could not see or that would steer a terminal. */
export function hasHiddenCharacters(text: string): boolean {
  return hiddenOrControl().test(text);
}

/**
 * `text` fit to show to a person: every control and format character replaced by U+FFFD, so that
 * something was there stays visible, and nothing can move the cursor, recolour the terminal or
 * reverse the reading order. JSON output keeps exact values (JSON escapes controls itself).
 */
export function forDisplay(text: string): string {
  return text.replace(hiddenOrControl(), '\uFFFD');
}

/** A longer text fit for a terminal: as forDisplay, but line breaks and tabs are kept. */
export function forTerminal(text: string): string {
  return text.replace(hiddenOrControl(), (found) => (found === '\n' || found === '\t' ? found : '\uFFFD'));
}

/** A session's summary as a person sees it: its user label cleaned (forDisplay). */
export function sessionForDisplay(session: SessionSummary): SessionSummary {
  return session.user === null ? session : { ...session, user: forDisplay(session.user) };
}

/**
 * A site as a person sees it, in the UI, the tray and notifications: its name and user label
 * cleaned (forDisplay). The one place those shells take their text from; `--json` and the API keep
 * exact values.
 */
export function siteForDisplay(site: SiteView): SiteView {
  return { ...site, name: forDisplay(site.name), session: sessionForDisplay(site.session) };
}
