import type { Credential, GrantCookie } from '../common/views.ts';

/** A cookie as captured from the login window's store: as handed to clients, with its SameSite. */
export interface CapturedCookie extends GrantCookie {
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
  /** oidc mode: the ID token, the `id_token_hint` of a logout at the provider. A secret; never handed to clients. */
  idToken?: string;
}
