import type { LoginWindow, LoginWindowEvent, LoginWindowFactory, LoginWindowOptions } from '../../core/login/login-window.ts';
import type { CapturedCookie } from '../../core/sessions/session.ts';

/**
 * A login window for unit tests of the flow's pure logic: it plays back a script of events when
 * navigated. Integration tests use the real Chromium window against the lab instead.
 */
export class ScriptedLoginWindows implements LoginWindowFactory {
  readonly opened: LoginWindowOptions[] = [];
  readonly deleted: Array<{ url: string; name: string }> = [];
  readonly navigations: string[] = [];
  closedCount = 0;
  /** How many times a window was asked to forget its visits. */
  visitsForgotten = 0;
  /** Cookies in the browser before the login starts. */
  cookieJar: CapturedCookie[] = [];
  /** Cookies the site sets during the login (added when the window navigates). */
  siteSets: CapturedCookie[] = [];

  readonly #script: (emit: (event: LoginWindowEvent) => void, self: ScriptedLoginWindows) => void;

  /** `script` runs on each navigation; it may read `self.opened` and set `self.cookieJar`. */
  constructor(script: (emit: (event: LoginWindowEvent) => void, self: ScriptedLoginWindows) => void) {
    this.#script = script;
  }

  async open(options: LoginWindowOptions): Promise<LoginWindow> {
    this.opened.push(options);
    const listeners = new Set<(event: LoginWindowEvent) => void>();
    const emit = (event: LoginWindowEvent): void => listeners.forEach((listener) => listener(event));
    return {
      navigate: async (url) => {
        this.navigations.push(url);
        this.cookieJar = [...this.cookieJar, ...this.siteSets];
        queueMicrotask(() => this.#script(emit, this));
      },
      onEvent: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      cookies: async () => this.cookieJar,
      deleteCookie: async (url, name) => {
        this.deleted.push({ url, name });
        this.cookieJar = this.cookieJar.filter((cookie) => cookie.name !== name);
      },
      forgetVisits: async () => {
        this.visitsForgotten += 1;
      },
      close: async () => {
        this.closedCount += 1;
      },
    };
  }

  async clearProfile(): Promise<void> {}
}

/** A cookie with everything but name and value defaulted. */
export function cookie(name: string, value: string, extra: Partial<CapturedCookie> = {}): CapturedCookie {
  return { name, value, domain: 'studio.example.com', path: '/', expires: null, httpOnly: false, secure: true, sameSite: 'Lax', ...extra };
}
