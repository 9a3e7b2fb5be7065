import type { ProxyConfig } from '../../core/net/proxy-config.ts';

/** A login partition's proxy, in the shape of Electron's `session.setProxy` (its ProxyConfig). */
export interface PartitionProxy {
  mode: 'system' | 'direct' | 'fixed_servers';
  proxyRules?: string;
  proxyBypassRules?: string;
}

/**
 * What a site's login partition uses: the system's settings (as every Electron window), or the
 * site's own proxy from its profile, `direct` or a fixed server. A site's own proxy takes loopback
 * names too (`<-loopback>`), as the Chromium adapter does; this machine's addresses stay direct.
 */
export function partitionProxy(own: ProxyConfig | undefined): PartitionProxy {
  if (own === undefined) return { mode: 'system' };
  const proxy = own.httpsProxy ?? own.httpProxy;
  if (proxy === null) return { mode: 'direct' };
  return { mode: 'fixed_servers', proxyRules: `${proxy.protocol}//${proxy.host}`, proxyBypassRules: '<-loopback>;localhost;127.0.0.0/8;[::1]' };
}
