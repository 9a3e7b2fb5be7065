import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserCandidates, findBrowser, isSnapBrowser } from '../../../core/browser/find-browser.ts';
import { LatchkeyError } from '../../../core/common/errors.ts';

function fakeExecutable(dir: string, name: string, mode = 0o755): string {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, mode);
  return path;
}

// On a real file system, with POSIX paths and modes: the Linux rules (browserCandidates below covers every system).
describe.skipIf(process.platform === 'win32')('findBrowser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-browser-'));

  it('uses LATCHKEY_BROWSER when it names an executable', () => {
    const path = fakeExecutable(dir, 'my-chrome');
    expect(findBrowser({ LATCHKEY_BROWSER: path, PATH: '' }, 'linux')).toBe(path);
  });

  it('refuses a LATCHKEY_BROWSER that is not executable, and says how to fix it', () => {
    const path = fakeExecutable(dir, 'not-runnable', 0o644);
    const error = (() => { try { findBrowser({ LATCHKEY_BROWSER: path }, 'linux'); } catch (e) { return e; } return null; })();
    expect(error).toBeInstanceOf(LatchkeyError);
    expect(error).toMatchObject({ code: 'browser_not_found' });
    expect((error as LatchkeyError).message).toContain(path);
    expect((error as LatchkeyError).hint).toMatch(/LATCHKEY_BROWSER/);
  });

  it('finds chromium on PATH, preferring Google Chrome when both exist', () => {
    const bin = mkdtempSync(join(dir, 'bin-'));
    const chromium = fakeExecutable(bin, 'chromium');
    expect(findBrowser({ PATH: bin }, 'linux')).toBe(chromium);
    const chrome = fakeExecutable(bin, 'google-chrome');
    expect(findBrowser({ PATH: bin }, 'linux')).toBe(chrome);
  });

  it('says how to install a browser when none is found', () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    expect(() => findBrowser({ PATH: empty }, 'linux')).toThrowError(/No Chrome, Chromium, Edge or Brave/);
    try {
      findBrowser({ PATH: empty }, 'linux');
    } catch (error) {
      expect(error).toMatchObject({ code: 'browser_not_found' });
      expect((error as LatchkeyError).hint).toMatch(/apt-get install chromium/);
    }
  });

  it('passes over a snap (Ubuntu\'s chromium-browser launcher) for a browser that is not one', () => {
    const bin = mkdtempSync(join(dir, 'snap-'));
    const launcher = join(bin, 'chromium-browser');
    writeFileSync(launcher, '#!/bin/sh\nexec /snap/bin/chromium "$@"\n', { mode: 0o755 });
    expect(isSnapBrowser(launcher)).toBe(true);
    expect(isSnapBrowser(fakeExecutable(bin, 'brave-browser'))).toBe(false);
    expect(findBrowser({ PATH: bin }, 'linux', '/home/ada')).toBe(join(bin, 'brave-browser'));
  });

  it('refuses a snap when it is the only browser, saying what to do; LATCHKEY_BROWSER may still name it', () => {
    const bin = mkdtempSync(join(dir, 'only-snap-'));
    const launcher = join(bin, 'chromium-browser');
    writeFileSync(launcher, '#!/bin/sh\nexec /snap/bin/chromium "$@"\n', { mode: 0o755 });
    const error = (() => { try { findBrowser({ PATH: bin }, 'linux', '/home/ada'); } catch (e) { return e; } return null; })();
    expect(error).toMatchObject({ code: 'browser_not_found', message: `The only browser found for the login window, ${launcher}, is a snap.` });
    expect((error as LatchkeyError).hint).toContain('LATCHKEY_HOME to a folder that is not hidden');
    expect(findBrowser({ PATH: bin, LATCHKEY_BROWSER: launcher }, 'linux', '/home/ada')).toBe(launcher);
  });
});

describe('browserCandidates', () => {
  it('macOS: Chrome, Chromium, Edge and Brave in /Applications, then in ~/Applications', () => {
    const paths = browserCandidates('darwin', {}, '/Users/ada');
    expect(paths.slice(0, 4)).toEqual([
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      '/Applications/Brave Browser.app/Contents/MacOS/Brave Browser',
    ]);
    expect(paths).toContain('/Users/ada/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(paths).toContain('/Users/ada/Applications/Brave Browser.app/Contents/MacOS/Brave Browser');
  });

  it('Windows: Program Files, Program Files (x86), then the per-user installs in %LOCALAPPDATA% (or its default place)', () => {
    const env = { PROGRAMFILES: 'C:\\Program Files', 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' };
    const paths = browserCandidates('win32', env, 'C:\\Users\\ada');
    expect(paths[0]).toBe('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(paths).toContain('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
    expect(paths).toContain('C:\\Users\\ada\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
    expect(paths).toContain('C:\\Users\\ada\\AppData\\Local\\BraveSoftware\\Brave-Browser\\Application\\brave.exe');
    expect(browserCandidates('win32', { PROGRAMFILES: 'C:\\Program Files' }, 'C:\\Users\\ada')).toContain('C:\\Users\\ada\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
  });

  it('Linux: each name in each PATH folder, the snap last', () => {
    const paths = browserCandidates('linux', { PATH: '/usr/local/bin:/usr/bin' }, '/home/ada');
    expect(paths.slice(0, 2)).toEqual(['/usr/local/bin/google-chrome', '/usr/bin/google-chrome']);
    expect(paths).toContain('/usr/bin/brave-browser');
    expect(paths.at(-1)).toBe('/snap/bin/chromium');
  });
});
