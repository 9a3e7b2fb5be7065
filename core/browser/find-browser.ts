import { accessSync, closeSync, constants, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import { LatchkeyError } from '../common/errors.ts';

/**
 * Where each platform's Chrome, Chromium, Edge and Brave usually live, most common first: the
 * system-wide installs, then the per-user ones (`~/Applications` on macOS, `%LOCALAPPDATA%` on
 * Windows). `userHome` is the user's home folder.
 */
export function browserCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, userHome: string): string[] {
  if (platform === 'darwin') {
    const apps = [
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Chromium.app/Contents/MacOS/Chromium',
      'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      'Brave Browser.app/Contents/MacOS/Brave Browser',
    ];
    return ['/Applications', posix.join(userHome, 'Applications')].flatMap((root) => apps.map((app) => posix.join(root, app)));
  }
  if (platform === 'win32') {
    const roots = [env['PROGRAMFILES'], env['PROGRAMFILES(X86)'], env['LOCALAPPDATA'] ?? win32.join(userHome, 'AppData', 'Local')].filter(
      (root): root is string => Boolean(root),
    );
    return roots.flatMap((root) => [
      win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      win32.join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      win32.join(root, 'Chromium', 'Application', 'chrome.exe'),
      win32.join(root, 'BraveSoftware', 'Brave-Browser', 'Application', 'brave.exe'),
    ]);
  }
  const names = ['google-chrome', 'google-chrome-stable', 'chromium', 'chromium-browser', 'microsoft-edge', 'microsoft-edge-stable', 'brave-browser'];
  const dirs = (env['PATH'] ?? '/usr/bin').split(':').filter(Boolean);
  return [...names.flatMap((name) => dirs.map((dir) => posix.join(dir, name))), '/snap/bin/chromium'];
}

/**
 * True for a browser that runs as a snap: a path into /snap, or a launcher script that starts one
 * (Ubuntu's /usr/bin/chromium-browser). A snap may not write under hidden folders of the home,
 * where Latchkey keeps its login profiles by default.
 */
export function isSnapBrowser(path: string): boolean {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // Judged by the path as given.
  }
  if (real.startsWith('/snap/')) return true;
  let fd: number | undefined;
  try {
    fd = openSync(real, 'r');
    const head = Buffer.alloc(4096);
    const read = readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, read);
    // A binary (ELF) is the browser itself; a script that names /snap/bin/ hands over to a snap.
    return text[0] === 0x23 && text.includes('/snap/bin/');
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const installHint =
  'Install Google Chrome, Chromium, Microsoft Edge or Brave (Debian: `sudo apt-get install chromium`), ' +
  'or set LATCHKEY_BROWSER to the browser executable.';

const snapHint =
  'Chromium from a snap cannot write to Latchkey\'s login profiles, which live under a hidden folder of your home. ' +
  'Install Google Chrome or Microsoft Edge from their .deb packages, or keep the snap and set both ' +
  'LATCHKEY_HOME to a folder that is not hidden (e.g. ~/Latchkey) and LATCHKEY_BROWSER=/snap/bin/chromium.';

/**
 * Finds the Chrome-family browser that login windows run in: `LATCHKEY_BROWSER` when set (and then
 * only that, snap or not: the person chose it), otherwise the first installed one on the usual
 * paths that is not a snap. Where only a snap is installed, the error says what to do.
 */
export function findBrowser(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, userHome?: string): string {
  const chosen = env['LATCHKEY_BROWSER'];
  if (chosen) {
    if (isExecutableFile(chosen)) return chosen;
    throw new LatchkeyError('browser_not_found', `LATCHKEY_BROWSER is set to ${chosen}, which is not an executable file.`, {
      hint: installHint,
    });
  }
  const home = userHome ?? (process.getBuiltinModule('node:os') as typeof import('node:os')).homedir();
  const installed = browserCandidates(platform, env, home).filter(isExecutableFile);
  const usable = platform === 'linux' ? installed.find((path) => !isSnapBrowser(path)) : installed[0];
  if (usable !== undefined) return usable;
  if (installed.length > 0) {
    throw new LatchkeyError('browser_not_found', `The only browser found for the login window, ${installed[0]}, is a snap.`, { hint: snapHint });
  }
  throw new LatchkeyError('browser_not_found', 'No Chrome, Chromium, Edge or Brave browser was found for the login window.', {
    hint: installHint,
  });
}
