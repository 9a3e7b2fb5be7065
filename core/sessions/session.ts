import type { Credential } from '../common/views.ts';

/** A cookie as captured from the login window's store. */
export interface CapturedCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  /** Unix seconds, or null for a cookie that lives as long as the browser session. */
  expires: number | null;
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'Strict' | 'Lax' | 'None' | null;
}

/** A captured site session (docs/ARCHITECTURE.md, "Sessions"). */
export interface Session {
  siteId: string;
  siteUrl: string;
  user: string | null;
  credential: Credential;
  /** The site origin's cookies, and only those. */
  cookies: CapturedCookie[];
  /** Milliseconds since the epoch. */
  obtainedAt: number;
  /** Milliseconds since the epoch, or null when the site does not say. */
  expiresAt: number | null;
  /** oidc mode: the identity provider's refresh token, for silent renewal without a window. A secret; never handed to clients. */
  refreshToken?: string;
}
