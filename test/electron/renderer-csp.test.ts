import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, rendererBuildDir } from '../../build-renderer.ts';
import { appContentSecurityPolicy, contentTypeOf, resolveAppFile } from '../../electron/common/app-files.ts';
import { appOrigin } from '../../electron/common/app-origin.ts';
import { launchUiBrowser, type UiBrowser } from '../ui/ui-browser.ts';

// The desktop app serves the renderer on app://latchkey/ with its own Content-Security-Policy
// (electron/app-protocol.ts), which Electron cannot show us here. Real Chromium can: the same
// files, resolved by the same function and sent with the same headers over loopback HTTP (where
// 'self' means the same as it does on app://), with a stand-in for the preload's Bridge. A policy
// too strict for the built UI shows up here as a violation or a page that never renders.

const fakeBridge = `
  window.latchkey = {
    call: async (name) => {
      const site = {
        id: 'studio', name: 'Studio', url: 'https://studio.example.com', default: true,
        profile: { preset: 'shotgrid', mode: 'cookie' },
        session: { state: 'valid', user: 'ada', expiresAt: null, obtainedAt: null }, loggingIn: false,
      };
      if (name === 'status') return { ok: true, value: { version: 'test', pid: 1, storage: 'memory', storageNote: 'No OS keychain.', sites: [site] } };
      if (name === 'listSites') return { ok: true, value: [site] };
      if (name === 'activity') return { ok: true, value: [] };
      return { ok: false, error: { code: 'not_found', message: 'not in this test' } };
    },
    onEvent: () => () => undefined,
  };
`;

describe('the built renderer under the desktop app policy', () => {
  let server: Server;
  let ui: UiBrowser;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    await ensureRendererBuilt();
    server = createServer((req, res) => {
      const file = resolveAppFile(rendererBuildDir, `${appOrigin}${req.url ?? '/'}`);
      const type = file === null ? null : contentTypeOf(file);
      if (file === null || type === null) return void res.writeHead(404).end();
      readFile(file).then(
        (body) => res.writeHead(200, { 'content-type': type, 'content-security-policy': appContentSecurityPolicy }).end(body),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ui = await launchUiBrowser();
    browser = ui.browser;
  });

  afterAll(async () => {
    await ui?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('renders the site list through the Bridge with no policy violation', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
    await page.addInitScript(`${fakeBridge}
      document.addEventListener('securitypolicyviolation', (e) => window.reportViolation(e.violatedDirective + ' ' + e.blockedURI));`);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}/index.html`);
    await page.getByText('Studio').first().waitFor({ timeout: 0 });
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
