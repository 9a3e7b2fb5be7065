// `latchkey://login?site=<site>` asks the app to log in to a registered site. Any web page can
// make the OS open such a link, so it is parsed strictly and carries no other instruction: one
// action, one parameter, nothing that could be a path, a credential or a second meaning.
// See https://www.electronjs.org/docs/latest/tutorial/launch-app-from-url-in-another-app

/** The URL scheme Latchkey registers with the OS. */
export const deepLinkScheme = 'latchkey';

/** What a valid deep link asks for. The site still has to be looked up among the registered ones. */
export interface DeepLink {
  action: 'login';
  /** A site reference as the person wrote it: an id, a name, a host or a URL. */
  site: string;
}

const maxLinkLength = 2048;
const maxSiteLength = 512;
// Tabs, newlines and other controls are refused rather than silently dropped by URL parsing.
const controlCharacters = /[\u0000-\u001f\u007f]/;

/** Parses a deep link, or returns null for anything that is not exactly `latchkey://login?site=<site>`. */
export function parseDeepLink(text: string): DeepLink | null {
  if (text.length > maxLinkLength || controlCharacters.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== `${deepLinkScheme}:`) return null;
  // The scheme is not one URL knows, so the host is kept as written: only exactly `login` counts.
  if (url.host !== 'login' || url.username !== '' || url.password !== '' || url.hash !== '') return null;
  if (url.pathname !== '' && url.pathname !== '/') return null;
  const keys = [...url.searchParams.keys()];
  if (keys.length !== 1 || keys[0] !== 'site') return null;
  const site = url.searchParams.get('site')?.trim() ?? '';
  if (site === '' || site.length > maxSiteLength || controlCharacters.test(site)) return null;
  return { action: 'login', site };
}

/**
 * The first deep link among a launch's arguments (Windows and Linux pass the link as an argument;
 * macOS sends `open-url` instead). Arguments that merely mention the scheme are not links.
 */
export function deepLinkFromArgv(argv: readonly string[]): string | null {
  return argv.find((arg) => arg.toLowerCase().startsWith(`${deepLinkScheme}:`)) ?? null;
}
