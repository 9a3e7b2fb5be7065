import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { httpCall } from './http-call.ts';
import { parseProxyUrl } from './proxy-config.ts';

/** The proxy a PAC file picks for a URL, or null for a direct request. */
export type FindProxy = (url: string) => Promise<URL | null>;

// A PAC file is a small script; anything near this is not one.
const maxPacBytes = 1024 * 1024;

/**
 * The first usable choice of a PAC answer (`PROXY host:port; HTTPS host:port; DIRECT`): an HTTP
 * or HTTPS proxy, or null for DIRECT. SOCKS entries are passed over, as Latchkey speaks to HTTP
 * proxies only; an answer with nothing usable goes direct, as a browser that cannot use an entry
 * tries the next.
 */
export function pacChoice(answer: string): URL | null {
  for (const entry of answer.split(';')) {
    const [kind = '', where = ''] = entry.trim().split(/\s+/);
    switch (kind.toUpperCase()) {
      case 'DIRECT':
        return null;
      case 'PROXY':
        if (where !== '') return parseProxyUrl(`http://${where}`, 'The PAC file');
        break;
      case 'HTTPS':
        if (where !== '') return parseProxyUrl(`https://${where}`, 'The PAC file');
        break;
      default:
        break;
    }
  }
  return null;
}

/**
 * Loads the PAC file at `pacUrl` (fetched directly: it says where the proxies are) and evaluates
 * it in QuickJS compiled to WebAssembly (pac-resolver over quickjs-wasi): a PAC file comes from
 * the network, and Node's own `vm` is no sandbox for code from there. Loaded only where the
 * system names a PAC file and no proxy is set otherwise.
 */
export async function loadPac(pacUrl: string): Promise<FindProxy> {
  const answer = await httpCall(pacUrl, { timeoutMs: 10_000, maxBytes: maxPacBytes });
  if (answer.status !== 200) throw new Error(`the PAC file answered HTTP ${answer.status}`);
  const [{ createPacResolver }, { QuickJS }] = await Promise.all([import('pac-resolver'), import('quickjs-wasi')]);
  const wasm = await readFile(createRequire(import.meta.url).resolve('quickjs-wasi/quickjs.wasm'));
  const find = createPacResolver(await QuickJS.create({ wasm }), answer.body.toString('utf8'));
  return async (url) => pacChoice(await find(url));
}
