import { app } from 'electron';
import { join } from 'node:path';
import type { HomePaths } from '../core/home.ts';
import { takeOverHome } from '../core/agent/agent-takeover.ts';
import type { Logger } from '../core/log.ts';
import { matchSite } from '../core/sites/site-lookup.ts';
import { serveRenderer } from './app-protocol.ts';
import { AppWindow } from './app-window.ts';
import { BrowserLoginWindows } from './browser-login-window.ts';
import { AttentionWatch, loginWindowNotice } from './common/attention-watch.ts';
import type { DeepLinkInbox } from './common/deep-link-inbox.ts';
import { appCaller, runUiOperation } from './common/ipc-call.ts';
import { eventChannel } from './common/ipc-channels.ts';
import { type TrayCommand, trayMenuModel } from './common/tray-menu.ts';
import { trayState, trayTooltip } from './common/tray-state.ts';
import { desktopSystemBrowser } from './system-browser.ts';
import { electronHttp } from './electron-http.ts';
import { startAgentHost } from '../core/agent/agent-host.ts';
import { hardenDefaultSession } from './hardening.ts';
import { registerIpcHandlers } from './ipc-handlers.ts';
import { Notifier } from './notifier.ts';
import { setStartAtLogin, startedHidden, startsAtLogin } from './login-item.ts';
import { openPreferences } from './preferences.ts';
import { desktopVault } from './safe-storage-vault.ts';
import { setLoginPartitionsPersistent } from './login-partition.ts';
import { LatchkeyTray } from './tray.ts';

/** The running desktop app, as main.ts sees it. */
export interface DesktopApp {
  /** Brings the app window forward (a second launch does this). */
  focus(): void;
}

/** Everything the app needs from main.ts. */
export interface DesktopAppOptions {
  /** The home, and this host's folder in it. */
  paths: HomePaths;
  inbox: DeepLinkInbox;
  /** The home's log; the engine and the agent write to it too. */
  logger: Logger;
}

// Expiry texts ("expires in 5 min") and time-based state changes need a redraw with no event.
const refreshEveryMs = 30_000;

/**
 * Composes the desktop app once Electron is ready: the engine with BrowserWindow login windows
 * and the safeStorage vault, served as the agent of this home (the desktop app is the agent,
 * docs/ARCHITECTURE.md, "The agent API"), the app window and its IPC, the tray, notifications and deep links.
 */
export async function startDesktopApp(options: DesktopAppOptions): Promise<DesktopApp> {
  const { paths, inbox } = options;
  const home = paths.home;
  const logger = options.logger.child({ component: 'desktop' });
  const preferences = openPreferences();
  hardenDefaultSession();
  const rendererDir = join(app.getAppPath(), 'dist', 'renderer');
  serveRenderer(rendererDir);
  const notifier = new Notifier(() => preferences.get('notifications'));
  const appWindow = new AppWindow({ preloadPath: join(import.meta.dirname, 'preload.cjs'), preferences, logger });
  // Logins the person started from the tray or a deep link: their window needs no notification.
  const askedInApp = new Set<string>();
  // A headless agent serving this home is asked to stop first: the app then serves the home, from
  // the store that agent wrote (both read it), and its sessions go on.
  const stopped = await takeOverHome(paths, logger);
  if (stopped !== null) logger.info('took the home over from the headless agent', { pid: stopped });
  const { vault, note } = await desktopVault(paths, logger);
  // Kept in memory only, the login profiles are too: nothing of a login outlasts the app on disk.
  setLoginPartitionsPersistent(vault.protection !== 'memory');
  const windows = new BrowserLoginWindows({
    logger,
    onVisible: (login, window) => {
      if (askedInApp.delete(login.profileId) || appWindow.focused) return;
      notifier.show(loginWindowNotice(login.profileId, login.title), () => window.isDestroyed() || window.focus());
    },
  });
  const host = await startAgentHost({
    home,
    host: paths.host,
    version: app.getVersion(),
    windows,
    vault,
    vaultNote: note,
    logger: options.logger,
    webUi: { rendererDir },
    systemBrowser: desktopSystemBrowser(process.env),
    // Chromium's network stack, as the login windows: the system's proxy (and PAC) and trust store.
    http: electronHttp(),
  });
  const { handlers } = host.engine;
  const stopIpc = registerIpcHandlers(handlers, () => appWindow.webContentsId, logger);

  const runSiteOperation = (name: 'login' | 'logout', site: string): void => {
    if (name === 'login') askedInApp.add(site);
    void runUiOperation(handlers, name, { id: site }).then((result) => {
      askedInApp.delete(site);
      if (!result.ok) logger.info(`${name} from the tray ended without success`, { site, code: result.error.code });
    });
  };
  const run = (command: TrayCommand): void => {
    if (command.kind === 'login' || command.kind === 'logout') return runSiteOperation(command.kind, command.site);
    if (command.kind === 'open') return appWindow.show();
    if (command.kind === 'quit') return app.quit();
    if (command.kind === 'startAtLogin') {
      void setStartAtLogin(command.on)
        .catch(() => logger.error('start at login could not be changed'))
        .finally(scheduleRefresh);
      return;
    }
    preferences.set(command.preference, !preferences.get(command.preference));
    scheduleRefresh();
  };
  const iconDir = app.isPackaged ? join(process.resourcesPath, 'tray') : join(app.getAppPath(), 'resources', 'tray');
  const tray = new LatchkeyTray(iconDir, run, () => appWindow.show());
  const attention = new AttentionWatch();

  const refresh = async (): Promise<void> => {
    const sites = await handlers.listSites({}, appCaller);
    const toggles = { notifications: preferences.get('notifications'), startMinimised: preferences.get('startMinimised'), startAtLogin: await startsAtLogin() };
    tray.update(trayState(sites), trayTooltip(sites), trayMenuModel(sites, toggles, Date.now()));
    for (const notice of attention.update(sites)) notifier.show(notice, () => appWindow.show());
  };
  let queued = false;
  // Events come in bursts (a login emits several); one redraw per turn of the event loop is enough.
  function scheduleRefresh(): void {
    if (queued) return;
    queued = true;
    setImmediate(() => {
      queued = false;
      refresh().catch(() => logger.error('tray refresh failed'));
    });
  }
  const stopEvents = host.engine.onEvent((event) => {
    appWindow.send(eventChannel, event);
    scheduleRefresh();
  });
  const timer = setInterval(scheduleRefresh, refreshEveryMs);
  scheduleRefresh();

  // A deep link only ever starts a login, for a site that is registered already.
  inbox.deliverTo((link) => {
    const match = matchSite(host.engine.registry.list(), link.site);
    if (match.kind !== 'one') return logger.warn('a deep link named no single registered site');
    runSiteOperation('login', match.site.id);
  });

  let stopping = false;
  app.on('will-quit', (event) => {
    if (stopping) return;
    stopping = true;
    event.preventDefault();
    clearInterval(timer);
    stopEvents();
    stopIpc();
    tray.destroy();
    void host.close().finally(() => app.quit());
  });
  app.on('activate', () => appWindow.show());
  if (!preferences.get('startMinimised') && !startedHidden()) appWindow.show();
  if (process.env['LATCHKEY_E2E'] === '1') {
    // The end-to-end tests read the tray's model here: Electron offers no way to read a tray menu back.
    Reflect.set(globalThis, 'latchkeyE2E', { tray: () => tray.snapshot });
  }
  return { focus: () => appWindow.show() };
}
