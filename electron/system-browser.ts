import { shell } from 'electron';
import { processSystemBrowser, type SystemBrowser } from '../core/browser/system-browser.ts';
import { LatchkeyError } from '../core/common/errors.ts';

/**
 * The person's own browser, from the desktop app: the program `BROWSER` names when it is set (the
 * convention the headless agent follows too), else the desktop's default browser through
 * `shell.openExternal`, which is given http and https pages only.
 */
export function desktopSystemBrowser(env: Readonly<Record<string, string | undefined>>): SystemBrowser {
  if ((env['BROWSER']?.trim() ?? '') !== '') return processSystemBrowser({ env, platform: process.platform });
  return {
    open: async (url) => {
      const protocol = URL.canParse(url) ? new URL(url).protocol : '';
      if (protocol !== 'https:' && protocol !== 'http:') throw new LatchkeyError('browser_failed', 'Only an http or https page is opened in the browser.');
      try {
        await shell.openExternal(url, { activate: true });
      } catch {
        throw new LatchkeyError('browser_failed', 'The desktop did not open the page in a browser.', { hint: 'Open the address shown by hand.' });
      }
    },
  };
}
