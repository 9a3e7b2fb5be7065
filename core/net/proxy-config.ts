import { BlockList, isIP } from 'node:net';
import { LatchkeyError } from '../common/errors.ts';
import { registerSecret } from '../secrets.ts';
import { isLoopbackHost } from '../sites/site-url.ts';

/**
 * Where the engine's and the login window's requests go: one decision for both, so a login that
 * succeeds in the window does not fail right after it in the engine's own calls.
 */
export interface ProxyConfig {
  /** The proxy for `http:` URLs, or null (direct). */
  httpProxy: URL | null;
  /** The proxy for `https:` URLs, or null (direct). */
  httpsProxy: URL | null;
  /** Hosts reached directly (NO_PROXY's rules). */
  noProxy: readonly string[];
  /** A PAC file the system names, for the login window (Chromium evaluates it itself). */
  pacUrl: string | null;
  /** Where the settings came from, for `doctor` and the log (`site`: a site profile's own). */
  source: 'LATCHKEY_PROXY' | 'environment' | 'system' | 'site' | 'none';
}

/** No proxy at all. */
export const directConfig: ProxyConfig = Object.freeze({ httpProxy: null, httpsProxy: null, noProxy: Object.freeze([]), pacUrl: null, source: 'none' });

/** A proxy URL as written in the environment or settings (`host:port` gets `http://`); its password is a secret from here on. */
export function parseProxyUrl(text: string, from: string, code: 'invalid_site' | 'invalid_setting' = 'invalid_setting'): URL {
  const written = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(written);
  } catch {
    throw new LatchkeyError(code, `${from} is not a proxy URL.`, { hint: 'Write it as http://host:port (with user:password@ when the proxy asks for them).' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LatchkeyError(code, `${from} names a ${url.protocol.replace(':', '')} proxy; Latchkey speaks to HTTP and HTTPS proxies.`);
  }
  if (url.password !== '') registerSecret(decodeURIComponent(url.password));
  return url;
}

/** The proxy as it may be shown: scheme, host and port, never its credentials. */
export function describeProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

function variable(env: Readonly<Record<string, string | undefined>>, name: string): string | null {
  // The lower-case name first, as curl and Python read them (Latchkey is no CGI program, so the
  // upper-case HTTP_PROXY that curl ignores is taken too).
  const value = env[name.toLowerCase()] ?? env[name];
  return value === undefined || value.trim() === '' ? null : value.trim();
}

/** Splits a NO_PROXY value (commas or spaces). */
export function splitNoProxy(value: string | null): string[] {
  return (value ?? '').split(/[\s,]+/).map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== '');
}

/**
 * The proxy settings of an environment: `LATCHKEY_PROXY` (a URL, or `direct`) over everything,
 * else `HTTPS_PROXY`, `HTTP_PROXY` (also `ALL_PROXY`) and `NO_PROXY` in lower or upper case, else
 * null so that the system's settings are read.
 */
export function proxyConfigFromEnv(env: Readonly<Record<string, string | undefined>>): ProxyConfig | null {
  const own = env['LATCHKEY_PROXY']?.trim() ?? '';
  if (own === 'direct') return directConfig;
  if (own !== '') {
    const proxy = parseProxyUrl(own, 'LATCHKEY_PROXY');
    return { httpProxy: proxy, httpsProxy: proxy, noProxy: splitNoProxy(variable(env, 'NO_PROXY')), pacUrl: null, source: 'LATCHKEY_PROXY' };
  }
  const all = variable(env, 'ALL_PROXY');
  const https = variable(env, 'HTTPS_PROXY') ?? all;
  const http = variable(env, 'HTTP_PROXY') ?? all;
  if (https === null && http === null) return null;
  return {
    httpProxy: http === null ? null : parseProxyUrl(http, 'HTTP_PROXY'),
    httpsProxy: https === null ? null : parseProxyUrl(https, 'HTTPS_PROXY'),
    noProxy: splitNoProxy(variable(env, 'NO_PROXY')),
    pacUrl: null,
    source: 'environment',
  };
}

function matchesEntry(entry: string, host: string, port: string): boolean {
  if (entry === '*') return true;
  // An entry may name a port (`host:8080`, `[::1]:443`); without one it covers every port.
  const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
  const entryHost = (withPort?.[1] ?? entry).replace(/^\[|\]$/g, '');
  if (withPort !== null && withPort[2] !== port) return false;
  const cidr = /^(.+)\/(\d{1,3})$/.exec(entryHost);
  if (cidr !== null) {
    const [, base = '', bits = ''] = cidr;
    const family = isIP(base);
    if (family === 0 || isIP(host) !== family) return false;
    const list = new BlockList();
    list.addSubnet(base, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
  }
  // `.example.com` and `example.com` both cover example.com and every name under it (curl's rule).
  const domain = entryHost.replace(/^\*?\./, '');
  return host === domain || host.endsWith(`.${domain}`);
}

/**
 * True for this machine's own addresses (`localhost`, `127.0.0.0/8`, `::1`, brackets allowed),
 * never sent to a proxy whatever NO_PROXY says: a proxy elsewhere would reach itself, and a
 * loopback redirect URI (it carries an authorization code) must not end up in a proxy's log.
 */
export function isOwnAddress(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** The proxy a request to `target` goes through, or null for a direct one. */
export function proxyFor(config: ProxyConfig, target: string | URL): URL | null {
  const url = typeof target === 'string' ? new URL(target) : target;
  const proxy = url.protocol === 'https:' ? config.httpsProxy : url.protocol === 'http:' ? config.httpProxy : null;
  if (proxy === null) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isOwnAddress(host)) return null;
  // The system's settings keep the browsers' own rule: loopback names (`*.localhost`) go direct.
  // Settings given to Latchkey (LATCHKEY_PROXY, the variables) follow NO_PROXY alone.
  if (config.source === 'system' && isLoopbackHost(host)) return null;
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  return config.noProxy.some((entry) => matchesEntry(entry, host, port)) ? null : proxy;
}

/**
 * A site profile's own proxy (`proxy`: `direct` or a URL, checked by the profile schema), which
 * overrides the settings for that site's logins and calls; undefined when the profile has none.
 */
export function siteProxy(profile: { proxy?: string | null | undefined }): ProxyConfig | undefined {
  const own = profile.proxy ?? null;
  if (own === null) return undefined;
  if (own === 'direct') return directConfig;
  const proxy = parseProxyUrl(own, "The site's proxy", 'invalid_site');
  return { httpProxy: proxy, httpsProxy: proxy, noProxy: [], pacUrl: null, source: 'site' };
}
