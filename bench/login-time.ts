import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumFlags, environmentFlags } from '../core/browser/chromium-flags.ts';
import { ChromiumLoginWindows } from '../core/browser/chromium-login-window.ts';
import { findBrowser } from '../core/browser/find-browser.ts';
import { runLogin } from '../core/login/login-flow.ts';
import { newSite } from '../core/sites/new-site.ts';
import { startLab } from '../test/lab/lab.ts';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** A Latchkey login against the same navigation done by a bare browser, both through the lab with a fresh profile. */
export async function measureLogin(runs: number): Promise<{ latchkeyMs: number; rawMs: number; ratio: number; runs: number }> {
  const lab = await startLab({ autoLogin: 'ada' });
  const site = newSite({ url: lab.site.url }, []);
  const executablePath = findBrowser();
  const latchkey: number[] = [];
  const raw: number[] = [];
  try {
    for (let i = 0; i < runs; i += 1) {
      const profiles = mkdtempSync(join(tmpdir(), 'latchkey-bench-login-'));
      let started = performance.now();
      const result = await runLogin({ site, windows: new ChromiumLoginWindows({ profilesDir: profiles, alwaysHidden: true, executablePath }), interactive: true });
      if (result.ending !== 'ok') throw new Error(`login ended ${result.ending}`);
      latchkey.push(performance.now() - started);

      started = performance.now();
      const context = await chromium.launchPersistentContext(join(profiles, 'raw'), {
        executablePath,
        headless: true,
        args: [...chromiumFlags, ...environmentFlags(process.getuid?.() === 0)],
      });
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(new URL(site.profile.renewPath, site.url).href);
      await page.waitForURL(`${site.url}${site.profile.landingPath}`);
      await context.cookies(site.url);
      await context.close();
      raw.push(performance.now() - started);
    }
  } finally {
    await lab.close();
  }
  return { latchkeyMs: median(latchkey), rawMs: median(raw), ratio: median(latchkey) / median(raw), runs };
}
