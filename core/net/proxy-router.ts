import type { Logger } from '../log.ts';
import type { FindProxy } from './pac-proxy.ts';
import { isOwnAddress, proxyFor, type ProxyConfig } from './proxy-config.ts';

/** Decides, for each URL, the proxy a request goes through (null: direct). */
export type ProxyRouter = (url: string) => Promise<URL | null>;

/**
 * The proxy of each request under `config`: the proxy it names (with NO_PROXY), else the PAC file
 * it names, loaded with the first request that needs it. A PAC file that cannot be loaded or run
 * sends requests direct, as browsers do, and says so once in the log. This machine's own
 * addresses never go to a proxy, whatever the PAC file says.
 */
export function proxyRouter(config: ProxyConfig, logger?: Logger): ProxyRouter {
  const pacUrl = config.httpProxy === null && config.httpsProxy === null ? config.pacUrl : null;
  if (pacUrl === null) return (url) => Promise.resolve(proxyFor(config, url));
  let pac: Promise<FindProxy | null> | null = null;
  return async (url) => {
    if (isOwnAddress(new URL(url).hostname)) return null;
    pac ??= import('./pac-proxy.ts')
      .then(({ loadPac }) => loadPac(pacUrl))
      .catch((error: unknown) => {
        logger?.warn('the PAC file could not be used; calls go direct', { error: error instanceof Error ? error.message : 'unknown' });
        return null;
      });
    const find = await pac;
    if (find === null) return null;
    try {
      return await find(url);
    } catch (error) {
      logger?.warn('the PAC file failed for a request; it goes direct', { error: error instanceof Error ? error.message : 'unknown' });
      return null;
    }
  };
}
