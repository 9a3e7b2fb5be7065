import { isIP } from 'node:net';
import { win32 } from 'node:path';
import { directConfig, parseProxyUrl, proxyConfigFromEnv, type ProxyConfig } from './proxy-config.ts';

/** Runs a program, never through a shell, and gives its standard output; null when it is missing, fails or hangs. */
export type RunCommand = (command: string, args: string[]) => Promise<string | null>;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * A RunCommand on `execFile`, with a short timeout: the settings are read as the agent starts and
 * before each `latchkey api` call, and a stuck settings tool must not hold either up.
 */
export function commandRunner(options: { env?: Env; timeoutMs?: number } = {}): RunCommand {
  return (command, args) =>
    new Promise((resolve) => {
      // Loaded when first run: `latchkey api` with a proxy in its environment never needs it.
      const { execFile } = process.getBuiltinModule('node:child_process') as typeof import('node:child_process');
      execFile(command, args, { encoding: 'utf8', timeout: options.timeoutMs ?? 2000, windowsHide: true, ...(options.env === undefined ? {} : { env: options.env }) }, (error, stdout) => resolve(error === null ? stdout : null));
    });
}

/** The default RunCommand: this process's environment, 2 s at most. */
export const runCommand: RunCommand = commandRunner();

const escapes: Readonly<Record<string, string>> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/**
 * The GVariant string literal at `start`, as g_variant_print writes it (single quotes, or double
 * ones when the text holds a single quote; backslash escapes, `\uXXXX` for control characters):
 * https://docs.gtk.org/glib/gvariant-text-format.html#strings
 */
function stringLiteral(text: string, start: number): { value: string; end: number } | null {
  const quote = text[start];
  if (quote !== "'" && quote !== '"') return null;
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i] ?? '';
    if (char === quote) return { value, end: i + 1 };
    if (char !== '\\') {
      value += char;
      continue;
    }
    i++;
    const escaped = text[i] ?? '';
    const digits = escaped === 'u' ? 4 : escaped === 'U' ? 8 : 0;
    if (digits === 0) {
      value += escapes[escaped] ?? escaped;
      continue;
    }
    const hex = text.slice(i + 1, i + 1 + digits);
    const code = /^[0-9a-f]+$/i.test(hex) && hex.length === digits ? parseInt(hex, 16) : NaN;
    if (!(code <= 0x10ffff)) return null;
    value += String.fromCodePoint(code);
    i += digits;
  }
  return null;
}

/** A GVariant string as gsettings prints it (`'manual'`), or null. */
function gvariantString(text: string | undefined): string | null {
  const trimmed = (text ?? '').trim();
  const literal = stringLiteral(trimmed, 0);
  return literal !== null && literal.end === trimmed.length ? literal.value : null;
}

/** A GVariant string list as gsettings prints it (`['a', "b's"]`, or `@as []` when empty), or null. */
function gvariantStrings(text: string | undefined): string[] | null {
  const trimmed = (text ?? '').trim().replace(/^@as\s+/, '');
  if (!trimmed.startsWith('[')) return null;
  const values: string[] = [];
  let at = 1;
  const skipSpace = (): void => {
    while (/\s/.test(trimmed[at] ?? '')) at++;
  };
  skipSpace();
  if (trimmed[at] === ']') return at === trimmed.length - 1 ? values : null;
  for (;;) {
    skipSpace();
    const literal = stringLiteral(trimmed, at);
    if (literal === null) return null;
    values.push(literal.value);
    at = literal.end;
    skipSpace();
    const separator = trimmed[at++];
    if (separator === ']') return at === trimmed.length ? values : null;
    if (separator !== ',') return null;
  }
}

/**
 * The proxy at `host` and `port` (`scheme` is how the proxy itself is spoken to), or null when
 * either is not one: a bad value means no proxy for that scheme, never an error that stops the agent.
 */
function proxyAt(scheme: 'http' | 'https', host: string, port: string | null, credentials: { user: string; password: string } | null = null): URL | null {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1');
  const name = isIP(bare) === 6 ? `[${bare}]` : /^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/i.test(bare) ? bare : null;
  if (name === null || (port !== null && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535))) return null;
  const userInfo = credentials === null ? '' : `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@`;
  try {
    // parseProxyUrl registers the password as a secret, so the log never shows it.
    return parseProxyUrl(`${scheme}://${userInfo}${name}${port === null ? '' : `:${port}`}`, 'the system proxy');
  } catch {
    return null;
  }
}

/** A PAC file's URL as Chromium takes it (`--proxy-pac-url`), or null. */
function pacUrl(text: string | null | undefined): string | null {
  const url = text?.trim() ?? '';
  return url !== '' && URL.canParse(url) && /^(https?|file|data):/i.test(url) ? url : null;
}

/**
 * A system's bypass entry in NO_PROXY's terms (proxy-config.ts), or null where NO_PROXY has none.
 * Lost on the way: names without a dot (Windows's `<local>`, macOS's ExcludeSimpleHostnames; see
 * noProxyList) and wildcards inside a name (`*corp*`). A plain name also covers the names under
 * it, as in NO_PROXY, where Windows and macOS take only the name itself.
 */
function noProxyEntry(raw: string): string | null {
  const entry = raw.trim().toLowerCase();
  if (entry === '' || entry.startsWith('<') || entry.includes('://')) return null;
  // `10.*` and `192.168.1.*` (Windows, macOS) are address ranges.
  const wildcard = /^(\d{1,3}(?:\.\d{1,3}){0,2})(?:\.\*)+$/.exec(entry);
  const cidr = wildcard !== null ? [entry, wildcard[1] ?? '', String((wildcard[1] ?? '').split('.').length * 8)] : /^(.+)\/(\d{1,3})$/.exec(entry);
  if (cidr !== null) {
    // macOS writes `169.254/16` for 169.254.0.0/16.
    const written = cidr[1] ?? '';
    const base = /^\d{1,3}(\.\d{1,3}){0,2}$/.test(written) ? [...written.split('.'), '0', '0', '0'].slice(0, 4).join('.') : written;
    const family = isIP(base);
    const bits = Number(cidr[2]);
    // A range the engine's matcher could not take (BlockList throws on it) is left out.
    return family !== 0 && bits <= (family === 4 ? 32 : 128) ? `${base}/${bits}` : null;
  }
  const name = entry.replace(/^\*\./, '.');
  return name === '*' || !name.includes('*') ? name : null;
}

/**
 * Windows's `<local>` and macOS's ExcludeSimpleHostnames send names without a dot (`intranet`)
 * direct. NO_PROXY has no such rule, and the login window and the engine's calls must decide
 * alike (proxy-config.ts), so the rule is dropped and such names go through the proxy. Sign-in
 * hosts are rarely dotless; where one must go direct, name it in NO_PROXY beside HTTPS_PROXY.
 */
function noProxyList(entries: readonly string[]): string[] {
  return [...new Set(entries.map(noProxyEntry).filter((entry) => entry !== null))];
}

function systemConfig(httpProxy: URL | null, httpsProxy: URL | null, noProxy: string[], pac: string | null): ProxyConfig | null {
  return httpProxy === null && httpsProxy === null && pac === null ? null : { httpProxy, httpsProxy, noProxy, pacUrl: pac, source: 'system' };
}

/**
 * GNOME's proxy settings, from `gsettings list-recursively org.gnome.system.proxy` (one line per
 * key: `org.gnome.system.proxy.http host 'proxy'`), read as GNOME's own resolver in
 * glib-networking does (proxy/gnome/gproxyresolvergnome.c): mode `manual` names the proxies, `auto`
 * a PAC file, `none` nothing; ignore-hosts has NO_PROXY's forms. An empty https host means the
 * http proxy serves https too. SOCKS and FTP proxies are not for Latchkey.
 */
export function parseGsettingsProxy(output: string): ProxyConfig | null {
  const settings = new Map<string, string>();
  for (const line of output.split(/\r?\n/)) {
    const match = /^org\.gnome\.system\.proxy(\.[a-z]+)? ([a-z-]+) (.*)$/.exec(line);
    if (match !== null) settings.set(`${match[1] ?? ''} ${match[2] ?? ''}`, match[3] ?? '');
  }
  const text = (key: string): string => gvariantString(settings.get(key)) ?? '';
  const noProxy = noProxyList(gvariantStrings(settings.get(' ignore-hosts')) ?? []);
  const mode = text(' mode');
  // `auto` without a URL asks for WPAD discovery, which only Chromium can do: left to it (null).
  if (mode === 'auto') return systemConfig(null, null, noProxy, pacUrl(text(' autoconfig-url')));
  if (mode !== 'manual') return null;
  const port = (scheme: string): string => (settings.get(`.${scheme} port`) ?? '').trim();
  const httpHost = text('.http host');
  const httpsHost = text('.https host');
  // The credentials are the http proxy's (GNOME has no others); the https one gets them when it
  // is the same server, which asks for the same.
  const credentials = settings.get('.http use-authentication')?.trim() === 'true' ? { user: text('.http authentication-user'), password: text('.http authentication-password') } : null;
  const sameServer = httpsHost === httpHost && port('https') === port('http');
  const httpProxy = httpHost === '' ? null : proxyAt('http', httpHost, port('http'), credentials);
  const httpsProxy = httpsHost === '' ? httpProxy : proxyAt('http', httpsHost, port('https'), sameServer ? credentials : null);
  return systemConfig(httpProxy, httpsProxy, noProxy, null);
}

/**
 * macOS's proxy settings, from `scutil --proxy` (the dictionary SCDynamicStoreCopyProxies gives).
 * Only the top level counts: per-interface copies sit in nested dictionaries (`__SCOPED__`). The
 * "secure web proxy" (HTTPS) is an HTTP proxy that https requests tunnel through; its credentials
 * live in the keychain, out of reach here (Playwright answers the login window's 407 only with
 * credentials we hold).
 */
export function parseScutilProxy(output: string): ProxyConfig | null {
  const values = new Map<string, string>();
  const exceptions: string[] = [];
  let depth = 0;
  let inExceptions = false;
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '}') {
      depth--;
      inExceptions = false;
      continue;
    }
    const separator = line.indexOf(' : ');
    const key = separator < 0 ? '' : line.slice(0, separator);
    const value = separator < 0 ? '' : line.slice(separator + 3).trim();
    if (depth === 2 && inExceptions && key !== '') exceptions.push(value);
    if (depth === 1 && key !== '' && !value.endsWith('{')) values.set(key, value);
    if (line.endsWith('{')) {
      depth++;
      inExceptions = depth === 2 && key === 'ExceptionsList';
    }
  }
  const enabled = (key: string): boolean => values.get(key) === '1';
  const proxy = (prefix: 'HTTP' | 'HTTPS'): URL | null => (enabled(`${prefix}Enable`) ? proxyAt('http', values.get(`${prefix}Proxy`) ?? '', values.get(`${prefix}Port`) ?? '') : null);
  const pac = enabled('ProxyAutoConfigEnable') ? pacUrl(values.get('ProxyAutoConfigURLString')) : null;
  // ExcludeSimpleHostnames has no NO_PROXY form: see noProxyList.
  return systemConfig(proxy('HTTP'), proxy('HTTPS'), noProxyList(exceptions), pac);
}

/** `proxy:port`, `http://proxy:port` or `https://proxy:port` as Windows's ProxyServer holds one (port 80 when none). */
function windowsServer(text: string): URL | null {
  const match = /^(?:(https?):\/\/)?(\[[0-9a-f:.]+\]|[^:/[\]]+)(?::(\d+))?\/?$/i.exec(text.trim());
  if (match === null) return null;
  return proxyAt(match[1]?.toLowerCase() === 'https' ? 'https' : 'http', match[2] ?? '', match[3] ?? null);
}

/**
 * Windows's proxy settings (WinINet's, which Edge and Chrome use), from `reg query` of the user's
 * Internet Settings: lines of `    Name    REG_TYPE    data`. ProxyServer is one server for every
 * scheme or `http=…;https=…` (a scheme left out goes direct); it counts only with ProxyEnable set,
 * while AutoConfigURL counts on its own. Where both are set, the manual proxy is the one both the
 * login window and the engine use (chromium-flags.ts): the engine cannot run a PAC file.
 */
export function parseRegistryProxy(output: string): ProxyConfig | null {
  const values = new Map<string, string>();
  for (const line of output.split(/\r?\n/)) {
    const match = /^ {4}(\S.*?) {4}REG_[A-Z_]+(?: {4}(.*))?$/.exec(line);
    if (match !== null) values.set((match[1] ?? '').toLowerCase(), (match[2] ?? '').trim());
  }
  const enable = values.get('proxyenable') ?? '';
  const enabled = /^0x[0-9a-f]+$/i.test(enable) && parseInt(enable, 16) !== 0;
  const server = enabled ? (values.get('proxyserver') ?? '') : '';
  let httpProxy: URL | null = null;
  let httpsProxy: URL | null = null;
  if (server.includes('=')) {
    for (const part of server.split(';')) {
      const [scheme = '', target = ''] = part.split('=', 2).map((piece) => piece.trim());
      if (scheme.toLowerCase() === 'http') httpProxy = windowsServer(target);
      if (scheme.toLowerCase() === 'https') httpsProxy = windowsServer(target);
    }
  } else if (server !== '') {
    httpProxy = httpsProxy = windowsServer(server);
  }
  // `<local>` has no NO_PROXY form: see noProxyList.
  const noProxy = noProxyList((values.get('proxyoverride') ?? '').split(';'));
  return systemConfig(httpProxy, httpsProxy, noProxy, pacUrl(values.get('autoconfigurl')));
}

/** The system's settings command for each platform, and how its output reads. */
function systemReader(platform: NodeJS.Platform, env: Env): { command: string; args: string[]; parse: (output: string) => ProxyConfig | null } | null {
  switch (platform) {
    case 'linux':
      // On KDE or a machine without a desktop, gsettings is missing or answers `none`: null.
      return { command: 'gsettings', args: ['list-recursively', 'org.gnome.system.proxy'], parse: parseGsettingsProxy };
    case 'darwin':
      return { command: '/usr/sbin/scutil', args: ['--proxy'], parse: parseScutilProxy };
    case 'win32':
      // By its full path: Windows looks for a bare `reg` in the current folder first.
      return { command: win32.join(env['SystemRoot'] ?? 'C:\\Windows', 'System32', 'reg.exe'), args: ['query', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings'], parse: parseRegistryProxy };
    default:
      return null;
  }
}

/**
 * The proxy settings of the system (GNOME's, macOS's or Windows's), or null when it names none or
 * cannot be read. Never throws: what the system holds must not keep the agent from starting.
 */
export async function readSystemProxy(options: { platform: NodeJS.Platform; run: RunCommand; env?: Env }): Promise<ProxyConfig | null> {
  const reader = systemReader(options.platform, options.env ?? {});
  if (reader === null) return null;
  try {
    const output = await options.run(reader.command, reader.args);
    return output === null ? null : reader.parse(output);
  } catch {
    return null;
  }
}

/** The proxy settings in force: the environment's (proxyConfigFromEnv), else the system's, else none. */
export async function proxyConfigFor(env: Env, platform: NodeJS.Platform, run: RunCommand = runCommand): Promise<ProxyConfig> {
  return proxyConfigFromEnv(env) ?? (await readSystemProxy({ platform, run, env })) ?? directConfig;
}
