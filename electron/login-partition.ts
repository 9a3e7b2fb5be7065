import { session, type Session } from 'electron';

const profileIdPattern = /^[a-z0-9][a-z0-9-]*$/;
const hardened = new WeakSet<Session>();

// Set once at start: with sessions kept in memory only (no keychain), the login profiles live in
// memory too, so nothing of a login outlasts the app on disk (the identity provider's cookies
// included). Partitions are named alike either way; only the `persist:` prefix differs.
let persistent = true;

/** Keeps the login partitions in memory only (the in-memory vault), or on disk (the default). */
export function setLoginPartitionsPersistent(onDisk: boolean): void {
  persistent = onDisk;
}

/**
 * The partition of a site's login windows: one profile per site, so that identity provider
 * cookies never cross sites (docs/ARCHITECTURE.md, "Logins"), on disk unless sessions are kept in
 * memory only. Only slugs are accepted, as the Chromium adapter does for its profile folders.
 * See https://www.electronjs.org/docs/latest/api/session#sessionfrompartitionpartition-options
 */
export function loginPartition(profileId: string): string {
  if (!profileIdPattern.test(profileId)) throw new TypeError(`not a profile id: ${JSON.stringify(profileId)}`);
  return `${persistent ? 'persist:' : ''}latchkey-${profileId}`;
}

/**
 * A site's login session, refusing everything a login page has no business doing: device and
 * other permission requests (camera, notifications, HID, opening external apps through
 * `openExternal`) and downloads. Certificate errors need no code: with no `certificate-error`
 * handler and no `setCertificateVerifyProc`, Chromium refuses an untrusted certificate, which is
 * what docs/ARCHITECTURE.md asks (never bypassed).
 * See https://www.electronjs.org/docs/latest/tutorial/security#5-handle-session-permission-requests-from-remote-content
 */
export function loginSession(profileId: string): Session {
  const ses = session.fromPartition(loginPartition(profileId));
  if (hardened.has(ses)) return ses;
  hardened.add(ses);
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event) => event.preventDefault());
  return ses;
}

/** Empties a site's login profile: cookies, storage, cache and HTTP auth (logout, docs/ARCHITECTURE.md, "Sessions"). */
export async function clearLoginSession(profileId: string): Promise<void> {
  const ses = session.fromPartition(loginPartition(profileId));
  await ses.clearStorageData();
  await ses.clearCache();
  await ses.clearAuthCache();
  await ses.cookies.flushStore();
}
