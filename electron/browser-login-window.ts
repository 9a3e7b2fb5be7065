import { askForCredentials } from './credential-prompt.ts';
import { proxyCredentials, rememberProxyCredentials } from './proxy-credentials.ts';
import { partitionProxy } from './common/session-proxy.ts';
import { BrowserWindow, type Cookie, type Session } from 'electron';
import { silentLogger, type Logger } from '../core/log.ts';
import type { LoginWindow, LoginWindowEvent, LoginWindowFactory, LoginWindowOptions } from '../core/login/login-window.ts';
import type { CapturedCookie } from '../core/sessions/session.ts';
import { classifyLoadFailure } from './common/load-failure.ts';
import { loginWindowTitle, mayNavigate } from './common/login-navigation.ts';
import { clearLoginSession, loginPartition, loginSession } from './login-partition.ts';

/** Options of the desktop app's login windows. */
export interface BrowserLoginWindowsOptions {
  logger?: Logger;
  /** Called when a visible login window opens, so the app can tell the person (a notification). */
  onVisible?: (options: LoginWindowOptions, window: BrowserWindow) => void;
}

/** Login windows as Electron BrowserWindows: the LoginWindow port of docs/ARCHITECTURE.md, "Folders and runtimes" for the desktop app. */
export class BrowserLoginWindows implements LoginWindowFactory {
  readonly #options: BrowserLoginWindowsOptions;

  constructor(options: BrowserLoginWindowsOptions = {}) {
    this.#options = options;
  }

  async open(options: LoginWindowOptions): Promise<LoginWindow> {
    const ses = loginSession(options.profileId);
    // The site's own proxy where its profile names one, else the system's: set each time, as a
    // partition keeps what it was given last.
    await ses.setProxy(partitionProxy(options.proxy));
    // Remote content with no Node, no preload, a sandboxed renderer and an isolated context: the
    // login page is the identity provider's, never trusted with anything of the app's.
    // See https://www.electronjs.org/docs/latest/tutorial/security#checklist-security-recommendations
    const window = new BrowserWindow({
      show: options.visible,
      width: 960,
      height: 760,
      title: options.title,
      autoHideMenuBar: true,
      webPreferences: {
        partition: loginPartition(options.profileId),
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        // The spell checker would fetch dictionaries from the network, and a login form has no use for it.
        spellcheck: false,
        // Middle-click opens links in new windows; those are refused anyway, and this stops the attempt.
        // See https://github.com/doyensec/electronegativity/wiki/AUXCLICK_JS_CHECK
        disableBlinkFeatures: 'Auxclick',
        // A hidden window renews silently; throttled timers would stall an identity provider's scripted redirects.
        backgroundThrottling: false,
      },
    });
    const login = new BrowserLoginWindow(window, ses, options, this.#options.logger ?? silentLogger);
    if (options.visible) {
      // Told before the window takes the focus, so the app can still see whether the person was using it.
      this.#options.onVisible?.(options, window);
      window.focus();
    }
    return login;
  }

  async clearProfile(profileId: string): Promise<void> {
    await clearLoginSession(profileId);
  }
}

const sameSite: Record<Cookie['sameSite'], CapturedCookie['sameSite']> = { strict: 'Strict', lax: 'Lax', no_restriction: 'None', unspecified: null };

function toCapturedCookie(cookie: Cookie): CapturedCookie {
  return {
    name: cookie.name,
    value: cookie.value,
    domain: cookie.domain ?? '',
    path: cookie.path ?? '/',
    expires: cookie.session === true || cookie.expirationDate === undefined ? null : Math.floor(cookie.expirationDate),
    httpOnly: cookie.httpOnly === true,
    secure: cookie.secure === true,
    sameSite: sameSite[cookie.sameSite],
  };
}

/** One open login window. */
class BrowserLoginWindow implements LoginWindow {
  readonly #window: BrowserWindow;
  readonly #session: Session;
  readonly #listeners = new Set<(event: LoginWindowEvent) => void>();
  #closing = false;
  #closedEmitted = false;
  /** The URL of the top-level navigation in flight, for the `from` of its redirect hops. */
  #pending: string | null = null;
  /** The last failure reported, so Electron's two failure events for one navigation count once. */
  #failed: string | null = null;

  constructor(window: BrowserWindow, ses: Session, options: LoginWindowOptions, logger: Logger) {
    this.#window = window;
    this.#session = ses;
    const contents = window.webContents;
    // No popups, no other schemes (an identity provider's link could launch an installed app),
    // no webviews: the window is one page on the web.
    // See https://www.electronjs.org/docs/latest/tutorial/security#13-disable-or-limit-navigation
    // and https://www.electronjs.org/docs/latest/tutorial/security#14-disable-or-limit-creation-of-new-windows
    contents.setWindowOpenHandler(() => {
      logger.info('login window refused a popup', { profile: options.profileId });
      return { action: 'deny' };
    });
    const refuse = (url: string, topFrame: boolean, event: { preventDefault(): void }): void => {
      if (mayNavigate(url, topFrame)) return;
      logger.info('login window refused a navigation to another scheme', { profile: options.profileId, frame: topFrame ? 'top' : 'sub' });
      event.preventDefault();
    };
    contents.on('will-navigate', (details) => refuse(details.url, true, details));
    contents.on('will-frame-navigate', (details) => refuse(details.url, details.isMainFrame, details));
    // A redirect is held to the top frame's rule wherever it happens: no frame needs to be redirected off the web.
    contents.on('will-redirect', (details) => refuse(details.url, true, details));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // The page's own title would hide which site the window is for.
    window.on('page-title-updated', (event) => event.preventDefault());

    contents.on('did-start-navigation', (details) => {
      if (!details.isMainFrame || details.isSameDocument) return;
      this.#pending = details.url;
      this.#failed = null;
    });
    contents.on('did-redirect-navigation', (details) => {
      if (!details.isMainFrame || details.isSameDocument) return;
      this.#emit({ kind: 'redirected', from: this.#pending ?? contents.getURL(), to: details.url });
      this.#pending = details.url;
    });
    // `did-navigate` is a committed cross-document navigation of the top frame; `did-navigate-in-page`
    // (pushState, fragments) is deliberately not listened to: it never counts as landing.
    // Electron cancels every request for credentials unless the app answers: a visible window
    // asks the person (Basic, Digest, and a proxy that wants credentials); a hidden one, renewing
    // silently, never prompts. What was asked is remembered, so a 401 that then commits tells the
    // login the prompt was dismissed. A proxy's answer is kept in memory for this run only, for
    // the next windows and the engine's own calls; asked again, it was refused, and it goes.
    let challenge: string | null = null;
    const asked = new Set<string>();
    contents.on('login', (event, details, authInfo, callback) => {
      event.preventDefault();
      if (!authInfo.isProxy) challenge = authInfo.scheme === '' ? 'Basic' : authInfo.scheme.charAt(0).toUpperCase() + authInfo.scheme.slice(1);
      const again = asked.has(details.url);
      asked.add(details.url);
      if (authInfo.isProxy) {
        const known = proxyCredentials(authInfo.host, authInfo.port);
        if (known !== undefined && !again) return callback(known.username, known.password);
        rememberProxyCredentials(authInfo.host, authInfo.port, null);
      }
      if (!window.isVisible()) return callback();
      const who = authInfo.isProxy ? `the proxy ${authInfo.host}:${authInfo.port}` : `${authInfo.host}:${authInfo.port}`;
      void askForCredentials(window, who, authInfo.realm).then((answer) => {
        if (answer === null) return callback();
        if (authInfo.isProxy) rememberProxyCredentials(authInfo.host, authInfo.port, answer);
        callback(answer.username, answer.password);
      });
    });
    contents.on('did-navigate', (_event, url, httpResponseCode) => {
      this.#pending = null;
      if (!window.isDestroyed()) window.setTitle(loginWindowTitle(options.title, url));
      this.#emit({ kind: 'committed', url, status: httpResponseCode > 0 ? httpResponseCode : null, challenge: httpResponseCode === 401 ? challenge : null });
      challenge = null;
    });
    const onFailure = (_event: unknown, errorCode: number, errorDescription: string, url: string, isMainFrame: boolean): void => {
      if (!isMainFrame) return;
      const { failure, detail } = classifyLoadFailure(errorCode, errorDescription);
      const key = `${url} ${detail}`;
      if (this.#failed === key) return;
      this.#failed = key;
      this.#emit({ kind: 'failed', url, failure, detail });
    };
    contents.on('did-fail-provisional-load', onFailure);
    contents.on('did-fail-load', onFailure);
    contents.on('did-finish-load', () => this.#emit({ kind: 'loaded', url: contents.getURL() }));
    contents.on('render-process-gone', () => {
      this.#emitClosed();
      if (!window.isDestroyed()) window.destroy();
    });
    window.on('closed', () => this.#emitClosed());
  }

  #emit(event: LoginWindowEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }

  #emitClosed(): void {
    if (this.#closing || this.#closedEmitted) return;
    this.#closedEmitted = true;
    this.#emit({ kind: 'closed' });
  }

  async navigate(url: string): Promise<void> {
    // Not awaited to load: the flow follows the navigation through events, and a failure
    // arrives as a `failed` event too.
    void this.#window.webContents.loadURL(url).catch(() => undefined);
  }

  onEvent(listener: (event: LoginWindowEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async cookies(url: string): Promise<CapturedCookie[]> {
    // flushStore waits for the cookie store's pending work, so a cookie that the landing response
    // set is in the store before it is read; `get({ url })` then gives only the cookies that the
    // browser would send to that URL (the site's origin), HttpOnly ones included.
    await this.#session.cookies.flushStore();
    return (await this.#session.cookies.get({ url })).map(toCapturedCookie);
  }

  async deleteCookie(url: string, name: string): Promise<void> {
    await this.#session.cookies.remove(url, name);
    await this.#session.cookies.flushStore();
  }

  async forgetVisits(): Promise<void> {
    // Electron keeps no browsing history or session restore: the HTTP cache is what remembers a page.
    await this.#session.clearCache();
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#listeners.clear();
    if (!this.#window.isDestroyed()) this.#window.destroy();
  }
}
