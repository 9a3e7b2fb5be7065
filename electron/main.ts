import { app, dialog } from 'electron';
import { resolve } from 'node:path';
import { authServerAllowlist } from '../core/browser/chromium-flags.ts';
import { LatchkeyError } from '../core/common/errors.ts';
import { homePaths, hostName, latchkeyHome } from '../core/home.ts';
import { createLogger, fileSink, logLevelFrom } from '../core/log.ts';
import { registerAppScheme } from './app-protocol.ts';
import { DeepLinkInbox } from './common/deep-link-inbox.ts';
import { deepLinkFromArgv, deepLinkScheme } from './common/deep-link.ts';
import { startDesktopApp } from './desktop-app.ts';
import { hardenAllContents } from './hardening.ts';

// The desktop app's entry point: process-wide settings that must come before `ready`, the
// single-instance lock, and the deep-link sources. Everything else is in desktop-app.ts.

// Absolute, as app.setPath requires; LATCHKEY_HOME may be relative.
const home = resolve(latchkeyHome());
const paths = homePaths(home, hostName());
app.setName('Latchkey');
// Electron's own data (login partitions, preferences, the single-instance lock below) is this
// machine's: it lives in the home's folder for this host, beside the headless agent's files, as
// a home may be shared by several hosts (docs/ARCHITECTURE.md, "The agent API").
app.setPath('userData', paths.hostDir);
registerAppScheme();
hardenAllContents();
// Integrated Windows authentication in the login windows, only for the hosts the person lists.
const authServers = authServerAllowlist(process.env);
if (authServers !== null) app.commandLine.appendSwitch('auth-server-allowlist', authServers);

function failToStart(error: unknown): void {
  const known = error instanceof LatchkeyError;
  const title = known && error.code === 'agent_running' ? 'Latchkey is already running' : 'Latchkey could not start';
  const detail = known ? `${error.message}${error.hint ? `\n\n${error.hint}` : ''}` : `See the log in ${paths.log}.`;
  dialog.showErrorBox(title, detail);
  app.exit(1);
}

if (!app.requestSingleInstanceLock()) {
  // The first instance gets this launch's arguments, deep link included, through 'second-instance'.
  app.quit();
} else {
  const logger = createLogger({ sinks: [fileSink(paths.log)], level: logLevelFrom(process.env) });
  const inbox = new DeepLinkInbox((reason) => logger.warn('refused a deep link', { component: 'desktop', reason }));
  let focus = (): void => undefined;
  // macOS delivers links by event, possibly before `ready`; Windows and Linux start a second
  // instance with the link as an argument, which the lock turns into 'second-instance' here.
  // See https://www.electronjs.org/docs/latest/tutorial/launch-app-from-url-in-another-app
  app.on('open-url', (event, url) => {
    event.preventDefault();
    inbox.receive(url);
  });
  app.on('second-instance', (_event, argv) => {
    focus();
    const link = deepLinkFromArgv(argv);
    if (link !== null) inbox.receive(link);
  });
  const launchLink = deepLinkFromArgv(process.argv);
  if (launchLink !== null) inbox.receive(launchLink);
  // Installers register the scheme too (electron-builder.yml `protocols`); a development run
  // (`electron .`) does not, or it would make the bare Electron binary the account's handler.
  if (app.isPackaged) app.setAsDefaultProtocolClient(deepLinkScheme);
  // The app lives on in the tray with no window open; only Quit ends it.
  app.on('window-all-closed', () => undefined);
  app
    .whenReady()
    .then(() => startDesktopApp({ paths, inbox, logger }))
    .then((desktop) => {
      focus = desktop.focus;
    }, failToStart);
}
