import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAgentServer, type AgentServer } from '../../core/agent/agent-server.ts';
import { uiCookieName } from '../../core/agent/web-ui-guard.ts';
import { createFixtureEngine, type FixtureEngine } from '../core/agent/fixture-handlers.ts';
import { recordSecret } from '../support/secrets.ts';
import { header, send, type RawResponse } from '../core/agent/agent-harness.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { makeTestHome, type TestHome } from '../support/test-home.ts';

/** The marker in the fixture UI's page, to tell it from the agent's notices. */
export const fixturePageMarker = 'fixture-ui-page';

/** An agent over the fixture engine, serving a tiny fixture renderer build (or the real one), with a manual clock for its tickets. */
export interface FixtureUiAgent {
  server: AgentServer;
  engine: FixtureEngine;
  home: TestHome;
  clock: ManualClock;
  /** `127.0.0.1:<port>`. */
  host: string;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** Every UI response body the tests read, for the check that none holds a session value. */
  bodies: string[];
  /** How many times the agent was asked to stop (its stop callback only counts). */
  stopRequests(): number;
  /** Sends a raw request over TCP and keeps its body. */
  request(method: string, target: string, headers: Array<[string, string]>, body?: string): Promise<RawResponse>;
  /** Redeems a fresh ticket as a browser would; returns the UI cookie and key. */
  openUi(): Promise<UiCredentials>;
  /** The headers of an honest call from the UI's page, with `extra` added. */
  callHeaders(credentials: UiCredentials, extra?: Array<[string, string]>): Array<[string, string]>;
  close(): Promise<void>;
}

/** The web UI's credentials as the browser holds them. */
export interface UiCredentials {
  cookie: string;
  key: string;
}

/** How the fixture UI agent starts. */
export interface FixtureUiAgentOptions {
  /** Serve this renderer build (the real one, for tests of the UI over events the test sends) instead of the fixture page. */
  rendererDir?: string;
}

/** Starts the agent with a fixture renderer build in the home, or with `options.rendererDir`. */
export async function startFixtureUiAgent(label: string, options: FixtureUiAgentOptions = {}): Promise<FixtureUiAgent> {
  const home = makeTestHome(label);
  const rendererDir = options.rendererDir ?? join(home.dir, 'renderer');
  if (options.rendererDir === undefined) {
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), `<!doctype html><title>${fixturePageMarker}</title><script type="module" src="./assets/app-1.js"></script>`);
    writeFileSync(join(rendererDir, 'assets', 'app-1.js'), 'document.title += " loaded";\n');
  }
  writeFileSync(join(home.dir, 'secret.txt'), 'outside the renderer build\n');
  const engine = createFixtureEngine();
  const clock = new ManualClock();
  let stops = 0;
  const server = await startAgentServer({
    home: home.dir,
    handlers: engine.handlers,
    events: engine.subscribe,
    logger: home.logger,
    version: '0.0.0-test',
    webUi: { rendererDir, clock },
    onStopRequest: () => (stops += 1),
  });
  recordSecret(server.token);
  const host = `127.0.0.1:${server.port}`;
  const origin = `http://${host}`;
  const bodies: string[] = [];
  const request = async (method: string, target: string, headers: Array<[string, string]>, body?: string): Promise<RawResponse> => {
    const response = await send({ port: server.port }, { method, target, headers, ...(body === undefined ? {} : { body }) });
    bodies.push(response.body);
    return response;
  };
  const cookieName = uiCookieName(server.port);
  return {
    server,
    engine,
    home,
    clock,
    host,
    origin,
    bodies,
    stopRequests: () => stops,
    request,
    openUi: async () => {
      const response = await request('GET', `/ui/open?ticket=${server.createUiTicket()}`, [['Host', host], ['Sec-Fetch-Site', 'none']]);
      const cookie = new RegExp(`^${cookieName}=([^;]+);`).exec(header(response, 'set-cookie') ?? '')?.[1];
      const key = /^\/ui\/#key=(.+)$/.exec(header(response, 'location') ?? '')?.[1];
      if (response.status !== 303 || cookie === undefined || key === undefined) throw new Error(`The ticket was not redeemed (${response.status}).`);
      recordSecret(cookie);
      recordSecret(key);
      return { cookie, key };
    },
    callHeaders: (credentials, extra = []) => [
      ['Host', host],
      ['Cookie', `${cookieName}=${credentials.cookie}`],
      ['X-Latchkey-UI', credentials.key],
      ['Origin', origin],
      ['Sec-Fetch-Site', 'same-origin'],
      ...extra,
    ],
    close: () => server.close(),
  };
}
