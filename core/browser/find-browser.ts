import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { LatchkeyError } from '../common/errors.ts';

/** Where each platform's Chrome, Chromium and Edge usually live, most common first. */
function candidatePaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
  }
  if (platform === 'win32') {
    const roots = [env['PROGRAMFILES'], env['PROGRAMFILES(X86)'], env['LOCALAPPDATA']].filter(
      (root): root is string => Boolean(root),
    );
    return roots.flatMap((root) => [
      join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      join(root, 'Chromium', 'Application', 'chrome.exe'),
    ]);
  }
  const names = ['google-chrome', 'google-chrome-stable', 'chromium', 'chromium-browser', 'microsoft-edge', 'microsoft-edge-stable'];
  const dirs = (env['PATH'] ?? '/usr/bin').split(':').filter(Boolean);
  return [...names.flatMap((name) => dirs.map((dir) => join(dir, name))), '/snap/bin/chromium'];
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
  'Install Google Chrome, Chromium or Microsoft Edge (Debian/Ubuntu: `sudo apt-get install chromium`), ' +
  'or set LATCHKEY_BROWSER to the browser executable.';

/**
 * Finds the Chrome-family browser that login windows run in: `LATCHKEY_BROWSER` when set (and then
 * only that), otherwise the first installed one on the usual paths.
 */
export function findBrowser(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const chosen = env['LATCHKEY_BROWSER'];
  if (chosen) {
    if (isExecutableFile(chosen)) return chosen;
    throw new LatchkeyError('browser_not_found', `LATCHKEY_BROWSER is set to ${chosen}, which is not an executable file.`, {
      hint: installHint,
    });
  }
  const found = candidatePaths(platform, env).find(isExecutableFile);
  if (found) return found;
  throw new LatchkeyError('browser_not_found', 'No Chrome, Chromium or Edge browser was found for the login window.', {
    hint: installHint,
  });
}
