import type { LoginProfile } from '../common/profile.ts';
import type { Session } from './session.ts';

/** The longest inactivity timeout a site may set (App ID's limit: 7 days). */
export const maxIdleTimeoutMinutes = 7 * 24 * 60;

const minute = 60_000;

/** Why a stored session no longer counts as valid, or null while it does. */
export type SessionLapse = 'expired' | 'max_age' | 'idle' | null;

/**
 * Applies a site's session policies at `now` (epoch ms): the site's own expiry, the maximum age
 * since the login, and the inactivity timeout since the session was last handed out.
 */
export function sessionLapse(session: Session, profile: Pick<LoginProfile, 'maxAgeMinutes' | 'idleTimeoutMinutes'>, lastUsedAt: number, now: number): SessionLapse {
  if (session.expiresAt !== null && session.expiresAt <= now) return 'expired';
  if (profile.maxAgeMinutes !== null && session.obtainedAt + profile.maxAgeMinutes * minute <= now) return 'max_age';
  const idleMinutes = Math.min(profile.idleTimeoutMinutes, maxIdleTimeoutMinutes);
  if (Math.max(lastUsedAt, session.obtainedAt) + idleMinutes * minute <= now) return 'idle';
  return null;
}
