import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openerCommands, processSystemBrowser, splitCommandLine } from '../../../core/browser/system-browser.ts';
import { startUrlSink, type UrlSink } from '../../support/url-sink.ts';

const url = 'https://idp.example.com/authorize?client_id=a&state=x%20y';

describe('the BROWSER variable', () => {
  it('splits like a shell for words and quotes, with no expansion', () => {
    expect(splitCommandLine(`firefox --new-window`)).toEqual(['firefox', '--new-window']);
    expect(splitCommandLine(`'/opt/My Browser/run' "--profile=a b" $HOME`)).toEqual(['/opt/My Browser/run', '--profile=a b', '$HOME']);
    expect(splitCommandLine(`"say \\"hi\\""  ''`)).toEqual(['say "hi"', '']);
    expect(() => splitCommandLine(`firefox 'unclosed`)).toThrow(/unclosed ' quote/);
  });

  it('is tried entry by entry, the URL in place of %s or last', () => {
    const env = { BROWSER: 'missing-browser:chromium --incognito %s:firefox' };
    expect(openerCommands(url, env, 'linux')).toEqual([
      { command: 'missing-browser', args: [url] },
      { command: 'chromium', args: ['--incognito', url] },
      { command: 'firefox', args: [url] },
    ]);
    // Windows separates entries as its PATH does, so `C:\…` keeps its colon.
    expect(openerCommands(url, { BROWSER: 'C:\\Tools\\browser.exe;edge' }, 'win32')).toEqual([
      { command: 'C:\\Tools\\browser.exe', args: [url] },
      { command: 'edge', args: [url] },
    ]);
  });

  it("falls back to each platform's opener, never through a shell", () => {
    expect(openerCommands(url, {}, 'linux')).toEqual([{ command: 'xdg-open', args: [url] }]);
    expect(openerCommands(url, { BROWSER: '  ' }, 'freebsd')).toEqual([{ command: 'xdg-open', args: [url] }]);
    expect(openerCommands(url, {}, 'darwin')).toEqual([{ command: 'open', args: [url] }]);
    expect(openerCommands(url, {}, 'win32')).toEqual([{ command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] }]);
  });
});

describe('the headless agent opening a page in the person’s browser', () => {
  let dir: string;
  let sink: UrlSink | undefined;
  afterEach(async () => {
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the first BROWSER program that exists, with the URL as one argument', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lk-browser-'));
    sink = await startUrlSink(dir);
    const browser = processSystemBrowser({ env: { BROWSER: `/nonexistent/browser:${sink.browserVariable}` }, platform: 'linux' });
    await browser.open(url);
    expect(await sink.next()).toBe(url);
  });

  it('says which programs failed when none starts', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lk-browser-'));
    const browser = processSystemBrowser({ env: { BROWSER: '/nonexistent/one:/nonexistent/two' }, platform: 'linux' });
    await expect(browser.open(url)).rejects.toMatchObject({ code: 'browser_failed', message: expect.stringContaining('/nonexistent/one: ENOENT; /nonexistent/two: ENOENT') });
  });

  it('opens only http and https pages, written as a URL parser writes them', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lk-browser-'));
    const browser = processSystemBrowser({ env: { BROWSER: '/nonexistent/browser' }, platform: 'linux' });
    for (const page of ['file:///etc/passwd', 'javascript:alert(1)', '--help', 'https://a.example/ b']) {
      await expect(browser.open(page)).rejects.toMatchObject({ code: 'browser_failed', message: expect.stringContaining('Only an http or https page') });
    }
  });
});
