import { app } from 'electron';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { autostartEntry, autostartPath, hiddenStartArgument } from './common/login-item.ts';

// "Start at login" (electron/common/login-item.ts): Electron's login items on macOS and Windows,
// an XDG autostart entry on Linux.

/** The command that starts this app: the AppImage when it runs from one (its mount point changes every run), else the executable. */
function appCommand(): string[] {
  const appImage = process.env['APPIMAGE'];
  if (appImage) return [appImage];
  // Unpackaged (`npm start`), Electron runs the app folder.
  return app.isPackaged ? [process.execPath] : [process.execPath, app.getAppPath()];
}

/** True when the app starts at login. */
export async function startsAtLogin(): Promise<boolean> {
  // Windows matches the entry by its arguments too: asked with the ones it is set with.
  if (process.platform !== 'linux') return app.getLoginItemSettings({ args: [hiddenStartArgument] }).openAtLogin;
  try {
    return (await readFile(autostartPath(process.env, homedir()), 'utf8')).includes('Exec=');
  } catch {
    return false;
  }
}

/** Makes the app start at login, hidden in the tray, or not. */
export async function setStartAtLogin(on: boolean): Promise<void> {
  if (process.platform !== 'linux') {
    // macOS reports a start at login itself (wasOpenedAtLogin); Windows passes the argument.
    app.setLoginItemSettings({ openAtLogin: on, args: [hiddenStartArgument] });
    return;
  }
  const path = autostartPath(process.env, homedir());
  if (!on) {
    await rm(path, { force: true });
    return;
  }
  await mkdir(path.slice(0, path.lastIndexOf('/')), { recursive: true });
  await writeFile(path, autostartEntry(appCommand()), { mode: 0o644 });
}

/** True when this run was started at login: it stays in the tray. */
export function startedHidden(): boolean {
  return process.argv.includes(hiddenStartArgument) || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
}
