import type { ProxyConfig } from '../net/proxy-config.ts';

/**
 * Flags for the login browser. The first group keeps Chromium from calling home (on closed networks
 * those calls fail by the dozen and slow every start); `--deny-permission-prompts` answers every
 * device and notification request with "no", so a login page can never get a camera or a location.
 */
export const chromiumFlags: readonly string[] = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-default-apps',
  '--deny-permission-prompts',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

/** Extra flags where Chromium runs as root or in a container (no user namespaces, no GPU). */
export function environmentFlags(isRoot: boolean): string[] {
  return isRoot ? ['--no-sandbox', '--disable-gpu'] : [];
}

/** The login browser's proxy, in playwright-core's terms. */
export interface ChromiumProxy {
  server: string;
  username?: string;
  password?: string;
}

/**
 * The proxy settings as the login browser takes them: one proxy (the https one, which logins use,
 * else the http one) with the credentials of the proxy URL, and NO_PROXY's entries as its bypass
 * list. The list is a flag of ours, after playwright-core's: Chromium applies the later of two and
 * lets a later rule win within one, so `<-loopback>` goes first: loopback names go through the
 * proxy unless NO_PROXY names them, and only this machine's own addresses never do, as for the
 * engine's calls. A PAC file (with no manual proxy)
 * goes as a flag too: Chromium evaluates it itself.
 */
export function chromiumProxy(config: ProxyConfig): { proxy?: ChromiumProxy; args: string[] } {
  const proxy = config.httpsProxy ?? config.httpProxy;
  if (proxy === null) return { args: config.pacUrl === null ? [] : [`--proxy-pac-url=${config.pacUrl}`] };
  const username = decodeURIComponent(proxy.username);
  const password = decodeURIComponent(proxy.password);
  // The system's settings keep Chromium's own rule (loopback names direct); given ones go by NO_PROXY alone.
  const loopback = config.source === 'system' ? [] : ['<-loopback>'];
  const bypass = [...loopback, 'localhost', '127.0.0.0/8', '[::1]', ...config.noProxy.map((entry) => entry.replace(/^\*?\./, '*.'))];
  return {
    proxy: { server: `${proxy.protocol}//${proxy.host}`, ...(username === '' ? {} : { username, password }) },
    args: [`--proxy-bypass-list=${bypass.join(';')}`],
  };
}

/**
 * The hosts where integrated Windows authentication (Negotiate: Kerberos or NTLM) may answer a
 * server's challenge with the person's own credentials, from `LATCHKEY_AUTH_SERVERS` (comma-
 * separated host patterns, `*.corp.example`): Chromium's `auth-server-allowlist`. Empty: only what
 * the browser allows by itself (intranet names), never a site on the internet. Credentials are
 * never delegated onwards.
 */
export function authServerAllowlist(env: Readonly<Record<string, string | undefined>>): string | null {
  const hosts = (env['LATCHKEY_AUTH_SERVERS'] ?? '').split(',').map((host) => host.trim()).filter((host) => /^[A-Za-z0-9*.:[\]-]+$/.test(host));
  return hosts.length === 0 ? null : hosts.join(',');
}

/** Where the login browser keeps the key of its own cookie encryption. */
export type PasswordStore = 'basic' | 'keyring';

/**
 * The launch settings for the login browser's cookie encryption. playwright-core starts Chromium
 * with a fixed, public key (`--password-store=basic`, and on macOS `--use-mock-keychain`), so a
 * profile's cookies (`v10` values) are readable by anyone with the files. With `keyring`, where the
 * agent has the OS keyring, Chromium keeps its key there instead: the Secret Service on Linux
 * (`v11` values), the Keychain on macOS; on Windows it always uses DPAPI.
 */
export function passwordStoreLaunch(store: PasswordStore, platform: NodeJS.Platform): { ignoreDefaultArgs: string[]; args: string[] } {
  if (store === 'basic') return { ignoreDefaultArgs: [], args: [] };
  switch (platform) {
    case 'linux':
      return { ignoreDefaultArgs: ['--password-store=basic'], args: ['--password-store=gnome-libsecret'] };
    case 'darwin':
      return { ignoreDefaultArgs: ['--password-store=basic', '--use-mock-keychain'], args: [] };
    default:
      return { ignoreDefaultArgs: ['--password-store=basic'], args: [] };
  }
}
