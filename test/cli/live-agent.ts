import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgentServer, type AgentServer } from '../../core/agent/agent-server.ts';
import { ChromiumLoginWindows } from '../../core/browser/chromium-login-window.ts';
import { createEngine, type Engine } from '../../core/engine.ts';
import { registerSecret } from '../../core/secrets.ts';
import type { LoginWindowFactory } from '../../core/login/login-window.ts';
import type { SiteView } from '../../core/common/views.ts';
import { startLab, type Lab } from '../lab/lab.ts';
import { makeTestHome, type TestHome } from '../support/test-home.ts';

/** A live agent for one test file: the SSO lab, a real engine with hidden Chromium windows, and the agent API. */
export interface LiveAgent {
  lab: Lab;
  home: TestHome;
  engine: Engine;
  server: AgentServer;
  /** The lab's site, registered as the default site. */
  site: SiteView;
  /** Every login window the engine asked for, with whether it was meant to be visible. */
  opened: Array<{ visible: boolean }>;
  /** The environment for a CLI child that talks to this agent. */
  env: NodeJS.ProcessEnv;
  /** The session value the agent holds for the lab's site now, read in-process (no CLI run). */
  storedToken(): string | undefined;
  close(): Promise<void>;
}

/** Registers a value the test run's secret scan must not find in any log (see test/run.ts). */
export function recordSecret(value: string): void {
  registerSecret(value);
  const runDir = process.env['LATCHKEY_TEST_RUN_DIR'];
  if (!runDir) return;
  mkdirSync(runDir, { recursive: true });
  appendFileSync(join(runDir, 'secrets.txt'), value + '\n', { mode: 0o600 });
}

/** The environment of a CLI child for `home`, without any Latchkey variable of the test run's own. */
export function cliEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('LATCHKEY_') && name !== 'LATCHKEY_TEST_RUN_DIR' && name !== 'LATCHKEY_BROWSER') delete env[name];
  // Node's compile cache keeps the type-stripped, compiled CLI between runs: it halves each run's start-up CPU.
  return { ...env, NODE_COMPILE_CACHE: join(tmpdir(), 'latchkey-test-compile-cache'), LATCHKEY_HOME: home, ...extra };
}

/**
 * Starts the lab (signing `autoLogin` in by itself, or showing its form), an engine whose Chromium
 * windows are all hidden, and the agent API over a fresh home, with the lab's site as the default.
 */
export async function startLiveAgent(label: string, options: { autoLogin?: string | null; interactiveMs?: number; silentMs?: number } = {}): Promise<LiveAgent> {
  const lab = await startLab({ autoLogin: options.autoLogin === undefined ? 'ada' : options.autoLogin });
  const home = makeTestHome(label);
  const opened: Array<{ visible: boolean }> = [];
  const chromium = new ChromiumLoginWindows({
    profilesDir: home.profilesDir,
    alwaysHidden: true,
    ...(process.env['LATCHKEY_BROWSER'] ? { executablePath: process.env['LATCHKEY_BROWSER'] } : {}),
    logger: home.logger,
  });
  // Counts what the engine asked for: `alwaysHidden` keeps every window hidden on this machine.
  const windows: LoginWindowFactory = {
    open: (windowOptions) => {
      opened.push({ visible: windowOptions.visible });
      return chromium.open(windowOptions);
    },
    clearProfile: (profileId) => chromium.clearProfile(profileId),
  };
  const engine = await createEngine({
    home: home.dir,
    version: '0.0.0-test',
    windows,
    logger: home.logger,
    timeouts: { interactiveMs: options.interactiveMs ?? 20_000, silentMs: options.silentMs ?? 8_000, settleMs: 1_000 },
  });
  const server = await startAgentServer({ home: home.dir, handlers: engine.handlers, logger: home.logger, version: '0.0.0-test', events: engine.onEvent });
  recordSecret(server.token);
  const site = await engine.handlers.addSite({ url: lab.site.url, name: 'Studio', default: true }, { client: 'test' });
  return {
    lab,
    home,
    engine,
    server,
    site,
    opened,
    env: cliEnv(home.dir),
    storedToken: () => engine.store.get(site.id)?.credential.value,
    close: async () => {
      await server.close();
      engine.close();
      await lab.close();
    },
  };
}

/** What a CLI run left. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const bin = new URL('../../bin/latchkey.js', import.meta.url).pathname;

/** A running `latchkey` child, for tests that signal it midway. */
export interface CliChild {
  pid: number;
  /** Resolves once stderr holds `text`. */
  stderrHas(text: string): Promise<void>;
  /** Resolves once stdout holds `text`. */
  stdoutHas(text: string): Promise<void>;
  done: Promise<CliRun>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts the real command line (`bin/latchkey.js`) as a child process. */
export function startCli(args: string[], env: NodeJS.ProcessEnv, options: { input?: string; timeoutMs?: number } = {}): CliChild {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  const waiters: Array<{ stream: 'stdout' | 'stderr'; text: string; resolve: () => void }> = [];
  const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer): void => {
    output[stream] += chunk.toString('utf8');
    for (const waiter of waiters.filter((w) => w.stream === stream && output[stream].includes(w.text))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  child.stdout.on('data', collect('stdout'));
  child.stderr.on('data', collect('stderr'));
  const has = (stream: 'stdout' | 'stderr', text: string): Promise<void> =>
    output[stream].includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ stream, text, resolve }));
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const done = new Promise<CliRun>((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ...output });
    });
  });
  return {
    pid: child.pid ?? 0,
    stderrHas: (text) => has('stderr', text),
    stdoutHas: (text) => has('stdout', text),
    done,
    kill: (signal) => child.kill(signal),
  };
}

/** Runs `latchkey ARGS` to the end. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, options: { input?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return startCli(args, env, options).done;
}
