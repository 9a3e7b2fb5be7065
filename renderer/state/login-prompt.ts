import { forDisplay } from '../../core/common/display-text.ts';
import type { AgentEvent } from '../../core/common/views.ts';

/** What a login under way asks of the person outside Latchkey's window, fit to show (core/common/views.ts, `loginPrompt`). */
export interface LoginPrompt {
  /** The address to open, as text to show: the parsed URL where it is a web address, cleaned. */
  address: string;
  /** What a link may open: an http or https URL without credentials, or null when the address is not one. */
  href: string | null;
  /** The code to type at the address (a device login), cleaned; null when there is none. */
  userCode: string | null;
  /** ISO 8601, or null when unknown or not a date. */
  expiresAt: string | null;
}

/**
 * The web address a link may open, or null. Only http and https: a `javascript:` or `data:`
 * address from an identity provider must not become something the person can click. An address
 * with a user name hides its real host behind a familiar one (`https://idp.example.com@evil.test/`).
 */
function webAddress(url: string): URL | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  return parsed.username === '' && parsed.password === '' ? parsed : null;
}

/**
 * A `loginPrompt` event as the UI shows it. The address and the code come from an identity
 * provider or a site, so they are cleaned (display-text.ts): a web address is shown as the URL
 * parser writes it (controls and bidi characters percent-encoded, a foreign host in punycode),
 * anything else with its hidden characters replaced.
 */
export function loginPromptForDisplay(event: Extract<AgentEvent, { type: 'loginPrompt' }>): LoginPrompt {
  const web = webAddress(event.url);
  const code = event.userCode === null ? '' : forDisplay(event.userCode).trim();
  const expires = event.expiresAt === null ? Number.NaN : Date.parse(event.expiresAt);
  return {
    address: forDisplay(web === null ? event.url : web.href),
    href: web === null ? null : web.href,
    userCode: code === '' ? null : code,
    expiresAt: Number.isFinite(expires) ? new Date(expires).toISOString() : null,
  };
}
