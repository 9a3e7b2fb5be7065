import { httpCall, type HttpAnswer, type HttpCall } from './http-call.ts';
import { proxyFor, type ProxyConfig } from './proxy-config.ts';

/**
 * The engine's own HTTP calls (the Http port of docs/ARCHITECTURE.md, "Folders and runtimes"):
 * identity-provider metadata, tokens, the site's exchange, validation and logout. The shells fill
 * it: Node's stack through the proxy the settings name, for the headless agent and the CLI.
 */
export type HttpPort = (url: string, call?: Omit<HttpCall, 'proxy'>) => Promise<HttpAnswer>;

/** Node's HTTP, each call through the proxy `config` names for its URL (or direct). */
export function nodeHttp(config: ProxyConfig): HttpPort {
  return (url, call = {}) => httpCall(url, { ...call, proxy: proxyFor(config, url) });
}
