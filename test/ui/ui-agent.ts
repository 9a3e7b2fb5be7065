import { startAgentServer, type AgentServer } from '../../core/agent/agent-server.ts';
import type { WebUiOptions } from '../../core/agent/web-ui.ts';
import { ChromiumLoginWindows } from '../../core/browser/chromium-login-window.ts';
import { createEngine, type Engine } from '../../core/engine.ts';
import { startLab, type Lab } from '../lab/lab.ts';
import { makeTestHome, type TestHome } from '../support/test-home.ts';

/** The SSO lab and an agent with a real engine (hidden Chromium login windows), serving its web UI. */
export interface UiAgent {
  lab: Lab;
  home: TestHome;
  engine: Engine;
  server: AgentServer;
  /** `http://127.0.0.1:<port>`: the web UI's origin. */
  origin: string;
  /** Calls the agent API (`/v1/…`) over TCP as a script does: bearer token and a client name (default `test-script`). */
  api(method: string, path: string, body?: unknown, client?: string): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** Starts the lab (signing `ada` in by itself) and an agent with no site over a fresh home. */
export async function startUiAgent(label: string, webUi: WebUiOptions = {}): Promise<UiAgent> {
  const lab = await startLab({ autoLogin: 'ada' });
  const home = makeTestHome(label);
  const windows = new ChromiumLoginWindows({
    profilesDir: home.profilesDir,
    executablePath: process.env['LATCHKEY_BROWSER'] ?? '/usr/bin/chromium',
    alwaysHidden: true,
    logger: home.logger,
  });
  const engine = await createEngine({
    home: home.dir,
    version: 'test',
    windows,
    logger: home.logger,
    timeouts: { interactiveMs: 20_000, silentMs: 10_000, settleMs: 500 },
  });
  const server = await startAgentServer({ home: home.dir, handlers: engine.handlers, version: 'test', events: engine.onEvent, logger: home.logger, webUi });
  const origin = `http://127.0.0.1:${server.port}`;
  return {
    lab,
    home,
    engine,
    server,
    origin,
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
