import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBrowser } from '../../../core/browser/find-browser.ts';
import { LatchkeyError } from '../../../core/common/errors.ts';

function fakeExecutable(dir: string, name: string, mode = 0o755): string {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, mode);
  return path;
}

describe('findBrowser', () => {
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
    expect(() => findBrowser({ PATH: empty }, 'linux')).toThrowError(/No Chrome, Chromium or Edge/);
    try {
      findBrowser({ PATH: empty }, 'linux');
    } catch (error) {
      expect(error).toMatchObject({ code: 'browser_not_found' });
      expect((error as LatchkeyError).hint).toMatch(/apt-get install chromium/);
    }
  });
});
