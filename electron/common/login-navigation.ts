// What a login window may navigate to, and how it shows where it is. Pure, so that the rules are
// tested here; electron/browser-login-window.ts applies them to Electron's navigation events.

const webSchemes: ReadonlySet<string> = new Set(['http:', 'https:']);
// Frames inside a page may also hold local documents (identity providers build widgets in
// `about:blank` frames); none of these can start another program.
const frameSchemes: ReadonlySet<string> = new Set([...webSchemes, 'about:', 'data:', 'blob:']);

/**
 * True when a login window may go to `url`: the top frame (and every redirect) only to http and
 * https, a subframe also to local documents. Anything else, such as `mailto:`, `file:` or an
 * installed app's scheme (`zoommtg:`, `ms-teams:`), would leave the window, so it is refused.
 * See https://www.electronjs.org/docs/latest/tutorial/security#13-disable-or-limit-navigation
 */
export function mayNavigate(url: string, topFrame: boolean): boolean {
  let scheme: string;
  try {
    scheme = new URL(url).protocol;
  } catch {
    return false;
  }
  return (topFrame ? webSchemes : frameSchemes).has(scheme);
}

/**
 * A login window's title: what it is for, and where it is, since it has no address bar. An https
 * page shows its host; anything else its whole origin, so that `http://` stands out.
 */
export function loginWindowTitle(base: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return base;
  }
  if (!webSchemes.has(parsed.protocol)) return base;
  return `${base} — ${parsed.protocol === 'https:' ? parsed.host : parsed.origin}`;
}
