import { app, BrowserWindow, screen } from 'electron';
import type { Logger } from '../core/log.ts';
import { appEntryUrl } from './common/app-origin.ts';
import { restorableBounds } from './common/window-bounds.ts';
import type { PreferenceStore } from './preferences.ts';

/** What the app window needs. */
export interface AppWindowOptions {
  /** The bundled preload script (CommonJS: sandboxed preloads cannot be ES modules). */
  preloadPath: string;
  preferences: PreferenceStore;
  logger: Logger;
}

/**
 * The app's one window (the React UI). It is created when first shown and destroyed when
 * closed; the app lives on in the tray, and the engine never depends on the window.
 */
export class AppWindow {
  readonly #options: AppWindowOptions;
  #window: BrowserWindow | null = null;

  constructor(options: AppWindowOptions) {
    this.#options = options;
  }

  /** The window's webContents id, the only sender IPC handlers accept; null while there is no window. */
  get webContentsId(): number | null {
    return this.#window === null || this.#window.isDestroyed() ? null : this.#window.webContents.id;
  }

  /** True while the window has the keyboard focus: the person is using the app. */
  get focused(): boolean {
    return this.#window !== null && !this.#window.isDestroyed() && this.#window.isFocused();
  }

  /** Shows the window (creating it if needed) and brings it to the front. */
  show(): void {
    const window = this.#window ?? this.#create();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  /** Sends an engine event to the renderer, if there is a window to receive it. */
  send(channel: string, payload: unknown): void {
    if (this.#window !== null && !this.#window.isDestroyed()) this.#window.webContents.send(channel, payload);
  }

  #create(): BrowserWindow {
    const { preferences, logger } = this.#options;
    const workAreas = screen.getAllDisplays().map((display) => display.workArea);
    const bounds = restorableBounds(preferences.get('windowBounds'), workAreas);
    const window = new BrowserWindow({
      ...(bounds ?? { width: 880, height: 640 }),
      minWidth: 560,
      minHeight: 420,
      show: false,
      title: 'Latchkey',
      autoHideMenuBar: true,
      // The renderer is our own code, but it still gets no Node and a sandbox: a bug in it, or in
      // a dependency, must not be able to reach the file system or the sessions.
      // See https://www.electronjs.org/docs/latest/tutorial/security#checklist-security-recommendations
      webPreferences: {
        preload: this.#options.preloadPath,
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
        spellcheck: false,
        devTools: !app.isPackaged,
        // Middle-click opens links in new windows; those are refused anyway, and this stops the attempt.
        // See https://github.com/doyensec/electronegativity/wiki/AUXCLICK_JS_CHECK
        disableBlinkFeatures: 'Auxclick',
      },
    });
    const contents = window.webContents;
    // The UI is one page: it never navigates, redirects or opens windows, so each attempt is refused.
    // See https://www.electronjs.org/docs/latest/tutorial/security#13-disable-or-limit-navigation
    // and https://www.electronjs.org/docs/latest/tutorial/security#14-disable-or-limit-creation-of-new-windows
    const refuse = (what: string) => (event: { preventDefault(): void }): void => {
      event.preventDefault();
      logger.warn(`app window refused ${what}`);
    };
    contents.on('will-navigate', refuse('a navigation'));
    contents.on('will-frame-navigate', refuse('a frame navigation'));
    contents.on('will-redirect', refuse('a redirect'));
    contents.on('will-attach-webview', refuse('a webview'));
    contents.setWindowOpenHandler(() => {
      logger.warn('app window refused a new window');
      return { action: 'deny' };
    });
    window.once('ready-to-show', () => window.show());
    window.on('close', () => {
      if (!window.isMinimized() && !window.isMaximized()) preferences.set('windowBounds', window.getBounds());
    });
    window.on('closed', () => {
      if (this.#window === window) this.#window = null;
    });
    void window.loadURL(appEntryUrl).catch(() => logger.error('app window could not load the renderer', { url: appEntryUrl }));
    this.#window = window;
    return window;
  }
}
