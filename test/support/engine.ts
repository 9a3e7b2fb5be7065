import type { Page } from 'playwright-core';
import { ChromiumLoginWindows } from '../../core/browser/chromium-login-window.ts';
import { homePaths } from '../../core/home.ts';
import { FileVault } from '../../core/sessions/file-vault.ts';
import { SessionService } from '../../core/sessions/session-service.ts';
import { SessionStore } from '../../core/sessions/session-store.ts';
import type { LoginWindowFactory } from '../../core/login/login-window.ts';
import { slottedWindows } from './browser-slots.ts';
import { ManualClock } from './manual-clock.ts';
import { makeTestHome, type TestHome } from './test-home.ts';

/** What the person at the login window does, played by the test through Playwright. */
export type Person = (page: Page) => Promise<void>;

/** The engine's parts wired as the agent wires them, over a fresh home and real Chromium. */
export interface TestEngine {
  home: TestHome;
  store: SessionStore;
  /** The engine's login windows (Chromium, each holding a browser slot). */
  windows: LoginWindowFactory;
  sessions: SessionService;
  /** The engine's clock: no deadline, renewal or settle timer fires unless the test runs it. */
  clock: ManualClock;
  /** Every window the engine opened, in order, with whether it was meant to be visible. */
  opened: Array<{ visible: boolean }>;
  /** Sets what the person does in the next windows (default: nothing). */
  setPerson(person: Person | null): void;
}

/** Builds an engine for tests on a manual clock. Windows are hidden unless `visible` is set (that needs a display). */
export async function makeTestEngine(label: string, options: { visible?: boolean; validateEveryMs?: number } = {}): Promise<TestEngine> {
  const home = makeTestHome(label);
  const paths = homePaths(home.dir);
  const store = await SessionStore.open(new FileVault({ path: paths.sessions, logger: home.logger }), home.logger);
  let person: Person | null = null;
  const opened: Array<{ visible: boolean }> = [];
  const clock = new ManualClock(Date.now());
  const windows = slottedWindows(new ChromiumLoginWindows({
    profilesDir: paths.profiles,
    executablePath: process.env['LATCHKEY_BROWSER'] ?? '/usr/bin/chromium',
    alwaysHidden: options.visible !== true,
    logger: home.logger,
    onPage: (page, windowOptions) => {
      opened.push({ visible: windowOptions.visible });
      // No step of the person waits against a wall-clock bound; a hang is ended by the test run's own timeout.
      page.setDefaultTimeout(0);
      // The person's actions end when the window closes; that is not a test failure.
      if (person) void person(page).catch((error: unknown) => { if (process.env["LATCHKEY_DEBUG_PERSON"]) console.error("person:", error); });
    },
  }));
  const sessions = new SessionService({
    store,
    windows,
    logger: home.logger,
    clock,
    ...(options.validateEveryMs === undefined ? {} : { validateEveryMs: options.validateEveryMs }),
  });
  return { home, store, windows, sessions, clock, opened, setPerson: (next) => { person = next; } };
}

/** The person types a login (and a one-time code when asked) into the lab's form. */
export function typesLogin(login: string, password: string, otp?: string): Person {
  return async (page) => {
    await page.locator('#username').fill(login);
    await page.locator('#password').fill(password);
    await page.locator('#submit').click();
    if (otp !== undefined) {
      await page.locator('#otp').fill(otp);
      await page.locator('#submit').click();
    }
  };
}

/** Sets a person who does nothing but notice when the window has loaded a page whose URL matches `pattern`. */
export function personReaches(engine: TestEngine, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    engine.setPerson(async (page) => {
      await page.waitForURL(pattern, { waitUntil: 'load', timeout: 0 });
      resolve();
    });
  });
}
