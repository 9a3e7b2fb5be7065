import { escapeHtml, htmlPage } from './html.ts';

/** The CloudShell-like site's page (its front page, and its redirect URI should a browser ever load it). */
export function cloudPage(): string {
  return htmlPage('Lab Cloud', '<h1>Lab Cloud</h1>\n<p id="cloud">A CloudShell-like API of the Latchkey SSO lab. Desktop tools sign in with OpenID Connect and exchange the ID token at <code>POST /api/login</code>.</p>');
}

/** The front page of a site that signs in through the lab IdP at `signInPath`. */
export function modeSiteHome(title: string, signInPath: string): string {
  return htmlPage(title, `<h1>${escapeHtml(title)}</h1>\n<p><a href="${escapeHtml(signInPath)}">Sign in</a></p>`);
}

/** Where a finished login lands. */
export function modeSiteLanding(title: string): string {
  return htmlPage(`Signed in · ${title}`, `<h1>Signed in</h1>\n<p id="landed">You are signed in to ${escapeHtml(title)}. You can close this window.</p>`);
}

/** A plain error page. */
export function modeSiteError(title: string, detail: string): string {
  return htmlPage(`Sign-in failed · ${title}`, `<h1>Sign-in failed</h1>\n<p id="error">${escapeHtml(detail)}</p>`);
}
