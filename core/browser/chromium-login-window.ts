import { mkdir, rm } from '../fs-calls.ts';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Cookie, Page } from 'playwright-core';
import { LatchkeyError } from '../common/errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import type {
  LoginWindow,
  LoginWindowEvent,
  LoginWindowFactory,
  LoginWindowOptions,
  NavigationFailure,
} from '../login/login-window.ts';
import type { CapturedCookie } from '../sessions/session.ts';
import { authServerAllowlist, chromiumFlags, chromiumProxy, environmentFlags, passwordStoreLaunch, type PasswordStore } from './chromium-flags.ts';
import { findBrowser } from './find-browser.ts';
import { prepareNegotiate } from './negotiate-profile.ts';
import { directConfig, type ProxyConfig } from '../net/proxy-config.ts';
import { classifyNetError } from './net-errors.ts';

/** Options of the Chromium login windows. */
export interface ChromiumLoginWindowsOptions {
  /** Folder holding one persistent browser profile per site. */
  profilesDir: string;
  /** The browser executable; found on the usual paths when absent. */
  executablePath?: string;
  /** Keeps every window hidden, interactive ones too (a headless agent driven by automation, tests). */
  alwaysHidden?: boolean;
  /** Called with each new window's page: automation (and tests) fill login forms through it. */
  onPage?: (page: Page, options: LoginWindowOptions) => void | Promise<void>;
  logger?: Logger;
  /**
   * The browser's environment, where DISPLAY, WAYLAND_DISPLAY and LATCHKEY_AUTH_SERVERS are read
   * too; default this process's. On Linux its HOME holds the NSS store of the CAs the browser trusts.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Default `process.platform`. */
  platform?: NodeJS.Platform;
  /** Where the login browser's requests go (the engine's own calls go the same way); default direct. */
  proxy?: ProxyConfig;
  /** Where the browser keeps its cookie encryption key: `keyring` where the agent has the OS keyring; default `basic`. */
  passwordStore?: PasswordStore;
}

const profileIdPattern = /^[a-z0-9][a-z0-9-]*$/;

function profilePath(profilesDir: string, profileId: string): string {
  // The id becomes a folder name: only slugs, so no id can climb out of the profiles folder.
  if (!profileIdPattern.test(profileId)) throw new TypeError(`not a profile id: ${JSON.stringify(profileId)}`);
  return join(profilesDir, profileId);
}

/** Login windows in an installed Chrome, Chromium or Edge, driven by playwright-core. */
export class ChromiumLoginWindows implements LoginWindowFactory {
  readonly #options: ChromiumLoginWindowsOptions;

  constructor(options: ChromiumLoginWindowsOptions) {
    this.#options = options;
  }

  /**
   * False on a Linux machine with no desktop session (an SSH session, a render node): a window
   * there reaches no person. Hidden windows for automation always count as usable.
   */
  showsWindows(): boolean {
    const env = this.#options.env ?? process.env;
    const linux = (this.#options.platform ?? process.platform) === 'linux';
    return this.#options.alwaysHidden === true || !linux || Boolean(env['DISPLAY']) || Boolean(env['WAYLAND_DISPLAY']);
  }

  async open(options: LoginWindowOptions): Promise<LoginWindow> {
    const logger = this.#options.logger ?? silentLogger;
    const executablePath = this.#options.executablePath ?? findBrowser();
    const visible = options.visible && this.#options.alwaysHidden !== true;
    if (visible && !this.showsWindows()) {
      throw new LatchkeyError('browser_failed', 'A visible login window needs a desktop session, and none was found (DISPLAY is not set).', {
        hint: 'Run Latchkey from a desktop session, or under `xvfb-run -a` for a virtual display.',
      });
    }
    const dir = profilePath(this.#options.profilesDir, options.profileId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await prepareNegotiate(dir, this.#options.platform ?? process.platform, authServerAllowlist(this.#options.env ?? process.env) !== null);
    // Loaded with the first login window: the browser driver is the largest thing the agent could
    // load, and an agent whose sessions are all valid never needs it.
    const { chromium } = await import('playwright-core');
    const network = chromiumProxy(options.proxy ?? this.#options.proxy ?? directConfig);
    const encryption = passwordStoreLaunch(this.#options.passwordStore ?? 'basic', this.#options.platform ?? process.platform);
    const launch = (): Promise<BrowserContext> =>
      chromium.launchPersistentContext(dir, {
        executablePath,
        headless: !visible,
        args: [...chromiumFlags, ...environmentFlags(process.getuid?.() === 0), ...network.args, ...authArgs(this.#options.env ?? process.env), ...encryption.args],
        ...(encryption.ignoreDefaultArgs.length === 0 ? {} : { ignoreDefaultArgs: encryption.ignoreDefaultArgs }),
        ...(network.proxy === undefined ? {} : { proxy: network.proxy }),
        ...(this.#options.env === undefined ? {} : { env: definedOnly(this.#options.env) }),
        acceptDownloads: false,
        ignoreHTTPSErrors: false,
        viewport: visible ? null : { width: 1024, height: 768 },
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    // The browser's first line of complaint: a path, a flag or a missing library, never page content (none is loaded yet).
    const reason = (error: unknown): string => (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)).slice(0, 300);
    let context: BrowserContext;
    try {
      context = await launch();
    } catch (first) {
      // A browser that fails to start on a busy machine often starts on a second try.
      logger.warn('login browser failed to start; trying once more', { profile: options.profileId, reason: reason(first) });
      try {
        context = await launch();
      } catch (cause) {
        logger.error('login browser failed to start', { profile: options.profileId, reason: reason(cause) });
        throw new LatchkeyError('browser_failed', `The login browser (${executablePath}) failed to start.`, {
          hint: 'Close other Latchkey login windows for this site, or set LATCHKEY_BROWSER to another browser.',
          cause,
        });
      }
    }
    try {
      const window = await ChromiumLoginWindow.attach(context, options, logger, dir);
      // Awaited: what the hook sets up (an automation's answers to prompts) is in place before the first navigation.
      await this.#options.onPage?.(window.page, options);
      return window;
    } catch (cause) {
      await context.close().catch(() => undefined);
      throw new LatchkeyError('browser_failed', 'The login browser could not be prepared.', { cause });
    }
  }

  async clearProfile(profileId: string): Promise<void> {
    await rm(profilePath(this.#options.profilesDir, profileId), { recursive: true, force: true });
  }
}

// What a Chromium profile keeps of the pages it visited, besides its cookies (which the identity
// provider's session needs): history, session restore, visit and prediction records, favicons by
// page, the cache, and the metrics database.
const visitRecords = [
  'Default/History',
  'Default/History-journal',
  'Default/Sessions',
  'Default/Current Session',
  'Default/Current Tabs',
  'Default/Last Session',
  'Default/Last Tabs',
  'Default/Visited Links',
  'Default/Top Sites',
  'Default/Top Sites-journal',
  'Default/Shortcuts',
  'Default/Shortcuts-journal',
  'Default/Network Action Predictor',
  'Default/Network Action Predictor-journal',
  'Default/Favicons',
  'Default/Favicons-journal',
  'Default/Cache',
  'Default/Code Cache',
  'segmentation_platform',
];

/** Removes a closed profile's records of the pages it visited. */
async function forgetVisitRecords(profileDir: string): Promise<void> {
  await Promise.all(visitRecords.map((record) => rm(join(profileDir, record), { recursive: true, force: true })));
}

function toCapturedCookie(cookie: Cookie): CapturedCookie {
  return {
    name: cookie.name,
    value: cookie.value,
    domain: cookie.domain,
    path: cookie.path,
    expires: cookie.expires > 0 ? cookie.expires : null,
    httpOnly: cookie.httpOnly,
    secure: cookie.secure,
    sameSite: cookie.sameSite,
  };
}

/** One open Chromium login window: a persistent context with a single page. */
class ChromiumLoginWindow implements LoginWindow {
  readonly #context: BrowserContext;
  readonly #page: Page;
  readonly #listeners = new Set<(event: LoginWindowEvent) => void>();
  readonly #profileDir: string;
  #forgetOnClose = false;
  #closing = false;
  #closedEmitted = false;

  private constructor(context: BrowserContext, page: Page, profileDir: string) {
    this.#context = context;
    this.#page = page;
    this.#profileDir = profileDir;
  }

  /** The window's page, for the `onPage` automation hook. */
  get page(): Page {
    return this.#page;
  }

  static async attach(context: BrowserContext, options: LoginWindowOptions, logger: Logger, profileDir: string): Promise<ChromiumLoginWindow> {
    const page = context.pages()[0] ?? (await context.newPage());
    const window = new ChromiumLoginWindow(context, page, profileDir);
    // The login window is one page: popups and new tabs are closed as they appear.
    context.on('page', (other) => {
      if (other !== page) {
        logger.info('login window refused a popup', { profile: options.profileId });
        void other.close().catch(() => undefined);
      }
    });
    page.on('close', () => window.#emitClosed());
    context.on('close', () => window.#emitClosed());
    const cdp = await context.newCDPSession(page);
    await window.#watchTopFrame(cdp);
    await page.evaluate(`document.title = ${JSON.stringify(options.title)}`).catch(() => undefined);
    return window;
  }

  /**
   * Reads the top frame's navigations from the DevTools protocol, which tells a committed
   * cross-document navigation (`Page.frameNavigated`) apart from a same-document one
   * (`Page.navigatedWithinDocument`, never reported) and from a redirect hop.
   */
  async #watchTopFrame(cdp: CDPSession): Promise<void> {
    await cdp.send('Page.enable');
    await cdp.send('Network.enable');
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const topFrameId = frameTree.frame.id;
    const documentRequests = new Map<string, string>();
    const statusByUrl = new Map<string, number>();
    const challengeByUrl = new Map<string, string>();
    let lastUrl = frameTree.frame.url;

    cdp.on('Network.requestWillBeSent', (event) => {
      if (event.type !== 'Document' || event.frameId !== topFrameId) return;
      documentRequests.set(event.requestId, event.request.url);
      if (event.redirectResponse) this.#emit({ kind: 'redirected', from: event.redirectResponse.url, to: event.request.url });
    });
    cdp.on('Network.responseReceived', (event) => {
      if (event.type !== 'Document' || event.frameId !== topFrameId) return;
      statusByUrl.set(event.response.url, event.response.status);
      const scheme = event.response.status === 401 ? authScheme(event.response.headers) : null;
      if (scheme !== null) challengeByUrl.set(event.response.url, scheme);
    });
    cdp.on('Network.loadingFailed', (event) => {
      const url = documentRequests.get(event.requestId);
      if (url === undefined) return;
      documentRequests.delete(event.requestId);
      const failure: NavigationFailure = event.canceled ? 'aborted' : classifyNetError(event.errorText);
      this.#emit({ kind: 'failed', url, failure, detail: event.errorText });
    });
    cdp.on('Network.loadingFinished', (event) => documentRequests.delete(event.requestId));
    cdp.on('Page.frameNavigated', (event) => {
      if (event.frame.parentId !== undefined || event.frame.id !== topFrameId) return;
      const url = event.frame.url + (event.frame.urlFragment ?? '');
      lastUrl = url;
      const status = statusByUrl.get(event.frame.url) ?? null;
      const challenge = challengeByUrl.get(event.frame.url) ?? null;
      statusByUrl.clear();
      challengeByUrl.clear();
      this.#emit({ kind: 'committed', url, status, challenge });
    });
    cdp.on('Page.loadEventFired', () => this.#emit({ kind: 'loaded', url: lastUrl }));
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
    void this.#page.goto(url, { waitUntil: 'commit', timeout: 0 }).catch(() => undefined);
  }

  onEvent(listener: (event: LoginWindowEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async cookies(url: string): Promise<CapturedCookie[]> {
    return (await this.#context.cookies(url)).map(toCapturedCookie);
  }

  async deleteCookie(url: string, name: string): Promise<void> {
    for (const cookie of await this.#context.cookies(url)) {
      if (cookie.name === name) await this.#context.clearCookies({ name, domain: cookie.domain, path: cookie.path });
    }
  }

  async forgetVisits(): Promise<void> {
    const cdp = await this.#context.newCDPSession(this.#page);
    try {
      await cdp.send('Network.clearBrowserCache');
    } finally {
      await cdp.detach().catch(() => undefined);
    }
    // History, session restore and visit records have no DevTools command: their files go once
    // the browser has closed them.
    this.#forgetOnClose = true;
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#listeners.clear();
    await this.#context.close().catch(() => undefined);
    if (this.#forgetOnClose) await forgetVisitRecords(this.#profileDir);
  }
}

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** The scheme of a 401's `WWW-Authenticate` header (`Basic`, `Digest`, `Negotiate`, `NTLM`), or null. */
function authScheme(headers: Record<string, unknown>): string | null {
  const value = Object.entries(headers).find(([name]) => name.toLowerCase() === 'www-authenticate')?.[1];
  return typeof value === 'string' ? (/^\s*([A-Za-z][A-Za-z0-9-]*)/.exec(value)?.[1] ?? null) : null;
}

function authArgs(env: Readonly<Record<string, string | undefined>>): string[] {
  const allowlist = authServerAllowlist(env);
  return allowlist === null ? [] : [`--auth-server-allowlist=${allowlist}`];
}
