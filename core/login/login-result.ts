import type { Session } from '../sessions/session.ts';

/** Every login ends in exactly one of these (docs/ARCHITECTURE.md, "Logins"). */
export type LoginEnding =
  | 'ok'
  | 'cancelled'
  | 'timeout'
  | 'tls_error'
  | 'network_error'
  | 'http_error'
  | 'incomplete'
  | 'redirect_loop';

/** A failed login: why, in words safe to show and log. */
export interface LoginFailure {
  ending: Exclude<LoginEnding, 'ok'>;
  /** A safe sentence: URLs without their query, cookie names, statuses; never a value. */
  reason: string;
  /** The HTTP status, for `http_error`. */
  status?: number;
  /** True when a hidden (silent) login stopped because the site or identity provider wants the person. */
  needsPerson?: boolean;
}

/** The outcome of one login. */
export type LoginResult = { ending: 'ok'; session: Session } | LoginFailure;
