import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgentServer, type AgentServer } from '../../core/agent/agent-server.ts';
import type { WebUiOptions } from '../../core/agent/web-ui.ts';
import { ChromiumLoginWindows } from '../../core/browser/chromium-login-window.ts';
import { processSystemBrowser } from '../../core/browser/system-browser.ts';
import { directConfig } from '../../core/net/proxy-config.ts';
import type { AgentEvent, SiteView } from '../../core/common/views.ts';
import { createEngine, type Engine } from '../../core/engine.ts';
import type { LoginWindowFactory } from '../../core/login/login-window.ts';
import { latchkeyVersion } from '../../cli/version.ts';
import { startLab, type Lab } from '../lab/lab.ts';
import { slottedWindows } from './browser-slots.ts';
import { ManualClock } from './manual-clock.ts';
import { recordSecret } from './secrets.ts';
import { makeTestHome, type TestHome } from './test-home.ts';

/** How a live agent starts. */
export interface LiveAgentOptions {
  /** The lab's identity provider signs this account in by itself; null shows its form. Default `ada`. */
  autoLogin?: string | null;
  /** Register the lab's ShotGrid-like site as the default site (default true, named `Studio`). */
  registerSite?: boolean;
  webUi?: WebUiOptions;
  /** The agent's `BROWSER` (its system browser); default: none, so the platform's opener is tried. */
  browserVariable?: string;
}

/**
 * The SSO lab and a real agent over a fresh home: a real engine with hidden Chromium login
 * windows (each holding a browser slot), the agent API on its real socket and port. Time runs on
 * a manual clock shared by the engine and the lab's sites: no login deadline, renewal or settle
 * timer fires unless the test runs it.
 */
export interface LiveAgent {
  lab: Lab;
  home: TestHome;
  engine: Engine;
  server: AgentServer;
  clock: ManualClock;
  /** The lab's site as registered (the default site), when `registerSite`. */
  site: SiteView;
  /** Every login window the engine asked for, with whether it was meant to be visible. */
  opened: Array<{ visible: boolean }>;
  /** The environment for a CLI child that talks to this agent. */
  env: NodeJS.ProcessEnv;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** The session value the agent holds for the lab's site now, read in-process. */
  storedToken(): string | undefined;
  /** Resolves with the next engine event `match` accepts. */
  nextEvent(match: (event: AgentEvent) => boolean): Promise<AgentEvent>;
  /** Resolves once no login for `siteId` runs (at once if none does). */
  loginsEnded(siteId: string): Promise<void>;
  /** Calls the agent API over TCP as a script does: bearer token and a client name. */
  api(method: string, path: string, body?: unknown, client?: string): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/**
 * The environment of a CLI child for `home`, without any Latchkey variable of the test run's own.
 * A command that finds no agent exits 3 rather than starting one (`LATCHKEY_NO_AUTOSTART`), so a
 * test's agent is the one it started; the tests of the agent on demand pass `{ LATCHKEY_NO_AUTOSTART: undefined }`.
 * Agents keep sessions in the plaintext file (`LATCHKEY_KEYRING=none`); the keyring's tests run their own.
 */
export function cliEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('LATCHKEY_') && !['LATCHKEY_TEST_RUN_DIR', 'LATCHKEY_BROWSER', 'LATCHKEY_TEST_BROWSER_SLOTS'].includes(name)) delete env[name];
  }
  // LATCHKEY_KEYRING=none: an agent a test starts never writes to the keyring of the machine running the tests.
  const merged: NodeJS.ProcessEnv = { ...env, NODE_COMPILE_CACHE: join(tmpdir(), 'latchkey-test-compile-cache'), LATCHKEY_HOME: home, LATCHKEY_NO_AUTOSTART: '1', LATCHKEY_KEYRING: 'none', ...extra };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  return merged;
}

/** Starts the lab and a live agent for one test file (see LiveAgent). */
export async function startLiveAgent(label: string, options: LiveAgentOptions = {}): Promise<LiveAgent> {
  const clock = new ManualClock(Date.now());
  const lab = await startLab({ autoLogin: options.autoLogin === undefined ? 'ada' : options.autoLogin, clock });
  const home = makeTestHome(label);
  const opened: Array<{ visible: boolean }> = [];
  const chromium = slottedWindows(
    new ChromiumLoginWindows({
      profilesDir: home.profilesDir,
      alwaysHidden: true,
      ...(process.env['LATCHKEY_BROWSER'] ? { executablePath: process.env['LATCHKEY_BROWSER'] } : {}),
      logger: home.logger,
    }),
  );
  // Counts what the engine asked for: `alwaysHidden` keeps every window hidden on this machine.
  const windows: LoginWindowFactory = {
    open: (windowOptions) => {
      opened.push({ visible: windowOptions.visible });
      return chromium.open(windowOptions);
    },
    clearProfile: (profileId) => chromium.clearProfile(profileId),
  };
  // The version of this checkout, as the command line has it: any other is reported as a skew.
  const engine = await createEngine({
    home: home.dir,
    version: latchkeyVersion,
    windows,
    logger: home.logger,
    clock,
    // The lab is on this machine: a proxy in the desktop's settings must not stand between them.
    proxy: directConfig,
    ...(options.browserVariable === undefined ? {} : { systemBrowser: processSystemBrowser({ env: { BROWSER: options.browserVariable }, platform: process.platform }) }),
  });
  const server = await startAgentServer({ home: home.dir, handlers: engine.handlers, logger: home.logger, version: latchkeyVersion, events: engine.onEvent, clock, ...(options.webUi ? { webUi: options.webUi } : {}) });
  recordSecret(server.token);
  const site = options.registerSite === false
    ? (null as unknown as SiteView)
    : await engine.handlers.addSite({ url: lab.site.url, name: 'Studio', default: true }, { client: 'test' });
  const origin = `http://127.0.0.1:${server.port}`;
  const nextEvent = (match: (event: AgentEvent) => boolean): Promise<AgentEvent> =>
    new Promise((resolve) => {
      const stop = engine.onEvent((event) => {
        if (!match(event)) return;
        stop();
        resolve(event);
      });
    });
  return {
    lab,
    home,
    engine,
    server,
    clock,
    site,
    opened,
    env: cliEnv(home.dir),
    origin,
    storedToken: () => engine.store.get(site.id)?.credential.value,
    nextEvent,
    loginsEnded: async (siteId) => {
      while (engine.sessions.isLoggingIn(siteId)) await nextEvent((event) => event.type === 'login' && event.phase === 'finished' && event.site === siteId);
    },
    api: async (method, path, body, client = 'test-script') => {
      const response = await fetch(origin + path, {
        method,
        headers: {
          authorization: `Bearer ${server.token}`,
          'x-latchkey-client': client,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: await response.json() };
    },
    close: async () => {
      await server.close();
      engine.close();
      await lab.close();
    },
  };
}
