import { ChromiumLoginWindows } from './browser/chromium-login-window.ts';
import { processSystemBrowser, type SystemBrowser } from './browser/system-browser.ts';
import { nodeHttp, type HttpPort } from './net/engine-http.ts';
import { describeProxy, directConfig, type ProxyConfig } from './net/proxy-config.ts';
import { proxyConfigFor } from './net/system-proxy.ts';
import type { Clock } from './clock.ts';
import { homePaths } from './home.ts';
import { createLogger, fileSink, type Logger, type LogSink, type LogLevel } from './log.ts';
import type { LoginWindowFactory } from './login/login-window.ts';
import type { AgentEvent, AgentStatus } from './common/views.ts';
import type { OperationHandlers } from './operations/inputs.ts';
import { createHandlers } from './operations/handlers.ts';
import { FileVault } from './sessions/file-vault.ts';
import { openHeadlessVault, type KeyringAccess } from './sessions/keyring-vault.ts';
import { MemoryVault } from './sessions/memory-vault.ts';
import { SessionService, type SessionServiceOptions } from './sessions/session-service.ts';
import { SessionStore } from './sessions/session-store.ts';
import type { Vault } from './sessions/vault.ts';
import { SiteRegistry } from './sites/site-registry.ts';

/** How to build an engine; every part has the default the headless agent uses. */
export interface EngineOptions {
  home: string;
  /** This machine's name in the home (default: hostName): its sessions and login profiles live in `hosts/<host>/`. */
  host?: string;
  version: string;
  /** Login windows; default: Chromium (hidden ones only with `headless`). */
  windows?: LoginWindowFactory;
  headless?: boolean;
  /** Where sessions rest; default: the plaintext file vault (or memory with `memoryOnly`), or with `keyring` the store sealed by it. */
  vault?: Vault;
  /**
   * The headless agent's keyring (keyring-vault.ts): sessions sealed with its key, or, where it
   * does not answer, the plaintext file, shown as such. Null: sealing turned off (LATCHKEY_KEYRING=none).
   */
  keyring?: KeyringAccess | null;
  vaultNote?: string | null;
  memoryOnly?: boolean;
  logger?: Logger;
  /** Extra log sinks besides the home's log file (stderr for `latchkey agent --verbose`). */
  logSinks?: LogSink[];
  /** The level of the home's log; default `info` (`debug` for `latchkey agent --debug` or LATCHKEY_DEBUG=1). */
  logLevel?: LogLevel;
  clock?: Clock;
  timeouts?: SessionServiceOptions['timeouts'];
  /** The person's own browser; default: `BROWSER` or the platform's opener, from this process's environment. */
  systemBrowser?: SystemBrowser;
  /** Where the engine's calls and the login windows go; default: this process's environment (LATCHKEY_PROXY, HTTPS_PROXY, …), else the system's settings, else direct. */
  proxy?: ProxyConfig;
  /** The engine's own HTTP calls; default Node's, through `proxy`. The desktop app gives Chromium's (Electron's `net`). */
  http?: HttpPort;
}

/** The engine: sites, sessions and the operations every shell calls. */
export interface Engine {
  registry: SiteRegistry;
  store: SessionStore;
  sessions: SessionService;
  handlers: OperationHandlers;
  logger: Logger;
  /** Subscribes to every event (sites, sessions, logins, activity); the prompts of logins under way come at once. */
  onEvent(listener: (event: AgentEvent) => void): () => void;
  close(): void;
}

const plaintextNote = 'No OS keyring is used by the headless agent: sessions are in a file readable only by you.';

/** Builds the engine over a home folder. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const paths = homePaths(options.home, options.host);
  const logger = options.logger ?? createLogger({ sinks: [fileSink(paths.log), ...(options.logSinks ?? [])], level: options.logLevel ?? 'info' });
  let vault: Vault;
  let vaultNote = options.vaultNote;
  if (options.vault !== undefined) vault = options.vault;
  else if (options.memoryOnly) vault = new MemoryVault();
  else if (options.keyring !== undefined) ({ vault, note: vaultNote } = await openHeadlessVault({ home: options.home, path: paths.sessions, logger, keyring: options.keyring }));
  else vault = new FileVault({ path: paths.sessions, logger });
  const store = await SessionStore.open(vault, logger);
  const registry = new SiteRegistry(options.home);
  // Read only where Latchkey's own network stack is used: the desktop app gives its windows and
  // its HTTP port, both on Chromium's stack, which reads the system's settings itself.
  const ownNetwork = options.windows === undefined || options.http === undefined;
  const proxy = options.proxy ?? (ownNetwork ? await proxyConfigFor(process.env, process.platform) : directConfig);
  if (proxy.source !== 'none') logger.info('proxy settings in use', { source: proxy.source, https: proxy.httpsProxy === null ? null : describeProxy(proxy.httpsProxy), http: proxy.httpProxy === null ? null : describeProxy(proxy.httpProxy), noProxy: proxy.noProxy.length, pac: proxy.pacUrl });
  // The login browser encrypts its own cookies with a key in the same keyring, where there is one.
  const windows = options.windows ?? new ChromiumLoginWindows({ profilesDir: paths.profiles, alwaysHidden: options.headless === true, logger, proxy, passwordStore: vault.protection === 'keyring' ? 'keyring' : 'basic' });
  const sessions = new SessionService({
    store,
    windows,
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    systemBrowser: options.systemBrowser ?? processSystemBrowser({ env: process.env, platform: process.platform }),
    http: options.http ?? nodeHttp(proxy, logger),
  });
  const listeners = new Set<(event: AgentEvent) => void>();
  const emit = (event: AgentEvent): void => {
    for (const listener of [...listeners]) listener(event);
  };
  sessions.onEvent(emit);
  const storage: AgentStatus['storage'] = vault.protection;
  const handlers = createHandlers({
    registry,
    sessions,
    version: options.version,
    storage,
    storageNote: vaultNote !== undefined ? vaultNote : storage === 'plaintext' ? plaintextNote : storage === 'memory' ? 'Sessions are kept in memory only, as asked.' : null,
    emit,
  });
  sessions.scheduleRenewals(registry.list());
  return {
    registry,
    store,
    sessions,
    handlers,
    logger,
    onEvent: (listener) => {
      listeners.add(listener);
      // A client that starts following after a login began (it joined the login, or its stream
      // opened late) still learns where the person approves it.
      for (const prompt of sessions.prompts()) listener(prompt);
      return () => listeners.delete(listener);
    },
    close: () => sessions.close(),
  };
}
