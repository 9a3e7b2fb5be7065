import type { Logger } from '../log.ts';
import { httpCall, type HttpAnswer, type HttpCall } from './http-call.ts';
import { directConfig, siteProxy, type ProxyConfig } from './proxy-config.ts';
import { proxyRouter } from './proxy-router.ts';

/**
 * The engine's own HTTP calls (the Http port of docs/ARCHITECTURE.md, "Folders and runtimes"):
 * identity-provider metadata, tokens, the site's exchange, validation and logout. The shells fill
 * it: Node's stack through the proxy the settings name, for the headless agent and the CLI.
 */
export type HttpPort = (url: string, call?: Omit<HttpCall, 'proxy'>) => Promise<HttpAnswer>;

/** Node's HTTP, each call through the proxy `config` names for its URL, or its PAC file picks (or direct). */
export function nodeHttp(config: ProxyConfig, logger?: Logger): HttpPort {
  const route = proxyRouter(config, logger);
  return async (url, call = {}) => httpCall(url, { ...call, proxy: await route(url) });
}

/** The engine's calls for a site: through its own proxy where its profile names one, else `http` (default Node's, direct). */
export function siteHttp(site: { profile: { proxy?: string | null | undefined } }, http: HttpPort | undefined, logger?: Logger): HttpPort {
  const own = siteProxy(site.profile);
  return own !== undefined ? nodeHttp(own, logger) : (http ?? nodeHttp(directConfig, logger));
}
