import { classifyNetError } from '../../core/browser/net-errors.ts';
import type { NavigationFailure } from '../../core/login/login-window.ts';

// Chromium's net::ERR_ABORTED (net/base/net_error_list.h): the navigation was cancelled, by a
// newer navigation, a refused download or a `preventDefault` in a navigation event.
const abortedCode = -3;

/**
 * Sorts a failed load of an Electron webContents the way core/browser/net-errors.ts sorts the
 * Chromium adapter's, so both login windows end a login alike. Electron reports Chromium's short
 * error name without its namespace (`ERR_CERT_AUTHORITY_INVALID`); the DevTools protocol that the
 * Chromium adapter reads says `net::ERR_CERT_AUTHORITY_INVALID`.
 * See https://www.electronjs.org/docs/latest/api/web-contents#event-did-fail-load
 */
export function classifyLoadFailure(errorCode: number, errorDescription: string): { failure: NavigationFailure; detail: string } {
  if (errorCode === abortedCode) return { failure: 'aborted', detail: 'net::ERR_ABORTED' };
  const name = /^ERR_[A-Z0-9_]+$/.test(errorDescription) ? `net::${errorDescription}` : errorDescription;
  return { failure: classifyNetError(name), detail: name };
}
