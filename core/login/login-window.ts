import type { ProxyConfig } from '../net/proxy-config.ts';
import type { CapturedCookie } from '../sessions/session.ts';

/** Why a top-level navigation failed, as the browser reported it. */
export type NavigationFailure = 'tls' | 'network' | 'too_many_redirects' | 'aborted' | 'auth' | 'other';

/** What a login window reports about its top-level frame. Subframes never produce events. */
export type LoginWindowEvent =
  /**
   * A cross-document navigation committed (never a redirect hop, a pushState or a fragment change).
   * `challenge`: the scheme (`Basic`, `Digest`, `Negotiate`, …) of a 401 that asked for credentials
   * the browser then did not get: the person cancelled its prompt, or no prompt could be shown.
   */
  | { kind: 'committed'; url: string; status: number | null; challenge?: string | null }
  /** A server redirect hop of a top-level navigation; nothing was committed. */
  | { kind: 'redirected'; from: string; to: string }
  /** The top-level document finished loading. */
  | { kind: 'loaded'; url: string }
  /** A top-level navigation failed before committing. */
  | { kind: 'failed'; url: string; failure: NavigationFailure; detail: string }
  /** The person closed the window, or the browser went away. */
  | { kind: 'closed' };

/** How to open a login window. */
export interface LoginWindowOptions {
  /** One persistent browser profile per site: identity-provider cookies never cross sites. */
  profileId: string;
  /** A visible window for interactive login; hidden for silent renewal. */
  visible: boolean;
  /** Shown in the window title where the shell supports it. */
  title: string;
  /** The site's own proxy (its profile's `proxy`), over the shell's settings; absent: the settings. */
  proxy?: ProxyConfig;
}

/** An open login window (the LoginWindow port of docs/ARCHITECTURE.md, "Folders and runtimes"). */
export interface LoginWindow {
  /** Starts a top-level navigation; the outcome arrives as events. */
  navigate(url: string): Promise<void>;
  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(listener: (event: LoginWindowEvent) => void): () => void;
  /** Cookies that the browser would send to `url` (that origin's cookies only, HttpOnly included). */
  cookies(url: string): Promise<CapturedCookie[]>;
  /** Deletes the named cookie as seen by `url`. */
  deleteCookie(url: string, name: string): Promise<void>;
  /**
   * Forgets the pages the window visited: its HTTP cache, and the browsing history, session
   * restore and visit records a browser keeps (a landing URL that carried a session key is in
   * each). Done at once where the browser allows it, else when the window closes.
   */
  forgetVisits(): Promise<void>;
  close(): Promise<void>;
}

/** Opens login windows. The Chromium adapter lives in core/browser; the Electron one in electron/. */
export interface LoginWindowFactory {
  open(options: LoginWindowOptions): Promise<LoginWindow>;
  /** Deletes a site's browser profile (logout). */
  clearProfile(profileId: string): Promise<void>;
  /** False where no window can reach a person (no desktop session); absent means true. */
  showsWindows?(): boolean;
}
