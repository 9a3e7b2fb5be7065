import type { BridgeResult } from '../../core/common/operations.ts';

/** An operation's error as the UI shows it. */
export type UiError = Extract<BridgeResult<unknown>, { ok: false }>['error'];

/** The fields of the site forms an error can be shown next to. */
export type SiteField = 'url' | 'name' | 'preset' | 'browser' | 'profile';

/**
 * Which field an error of `addSite` or `updateSite` is about, so it is shown next to that field;
 * null when it is about the whole request. The agent names the field in its message (core/sites).
 */
export function fieldOfError(error: UiError): SiteField | null {
  if (error.code === 'invalid_site_url' || error.code === 'site_exists') return 'url';
  if (error.code !== 'invalid_site' && error.code !== 'bad_request') return null;
  const message = error.message;
  const named = /Field "(url|name|preset|profile)"/.exec(message)?.[1];
  if (named !== undefined) return named as SiteField;
  if (/^Site name\b/.test(message)) return 'name';
  if (/^Unknown preset\b/.test(message)) return 'preset';
  // core/sites/profile-schema.ts names the profile's fields so: `Site profile field "browser" …`.
  if (/^Site profile field "browser"/.test(message)) return 'browser';
  if (/\bprofile\b/i.test(message)) return 'profile';
  return null;
}
