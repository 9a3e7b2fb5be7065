import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Chromium as the UI tests drive it: headless, quiet, with nothing reaching outside this machine. */
export function launchUiBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['LATCHKEY_BROWSER'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Where failure screenshots go: the test run's folder, or a temp folder outside the runner. */
function failureDir(): string {
  const dir = process.env['LATCHKEY_TEST_RUN_DIR'] ?? mkdtempSync(join(tmpdir(), 'latchkey-ui-'));
  const shots = join(dir, 'ui-screenshots');
  mkdirSync(shots, { recursive: true });
  return shots;
}

/** Runs one step of a UI test; when it fails, the page is saved as a screenshot before the error goes on. */
export async function step<T>(page: Page, name: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const path = join(failureDir(), `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
    await page.screenshot({ path, fullPage: true }).then(
      () => console.error(`UI step "${name}" failed; screenshot: ${path}`),
      () => undefined,
    );
    throw error;
  }
}

/** Screenshots for the README, kept in memory and written only once every test of the file passed. */
export class ReadmeShots {
  readonly #shots = new Map<string, Buffer>();
  #failed = false;

  /** Takes a screenshot of `page` under `name` (a file name in docs/screenshots/). */
  async take(page: Page, name: string): Promise<void> {
    // The pointer away from the page, so no button is caught in its hover state.
    await page.mouse.move(0, 0);
    this.#shots.set(name, await page.screenshot({ fullPage: true }));
  }

  /** Takes a screenshot of one element (a card of the page) under `name`. */
  async takeElement(locator: Locator, name: string): Promise<void> {
    await locator.page().mouse.move(0, 0);
    this.#shots.set(name, await locator.screenshot());
  }

  /** Marks the run failed: nothing is written. */
  fail(): void {
    this.#failed = true;
  }

  /** Writes the screenshots into `dir` when nothing failed; returns the names written. */
  save(dir: string): string[] {
    if (this.#failed) return [];
    mkdirSync(dir, { recursive: true });
    for (const [name, image] of this.#shots) writeFileSync(join(dir, name), image);
    return [...this.#shots.keys()];
  }
}
