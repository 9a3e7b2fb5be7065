import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directConfig, proxyFor, type ProxyConfig } from '../../../core/net/proxy-config.ts';
import { commandRunner, parseGsettingsProxy, parseRegistryProxy, parseScutilProxy, proxyConfigFor, readSystemProxy, type RunCommand } from '../../../core/net/system-proxy.ts';
import { containsSecret } from '../../../core/secrets.ts';

/** Every field of a configuration, the proxies as URLs written out. */
function fields(config: ProxyConfig | null): Record<string, unknown> | null {
  return config === null ? null : { http: config.httpProxy?.href ?? null, https: config.httpsProxy?.href ?? null, noProxy: config.noProxy, pacUrl: config.pacUrl, source: config.source };
}

/** `gsettings list-recursively org.gnome.system.proxy` as GNOME's defaults print it, with `changes` over them. */
function gsettings(changes: Record<string, string>): string {
  const values: Record<string, string> = {
    ' autoconfig-url': "''",
    ' ignore-hosts': "['localhost', '127.0.0.0/8', '::1']",
    ' mode': "'none'",
    ' use-same-proxy': 'true',
    '.ftp host': "''",
    '.ftp port': '0',
    '.http authentication-password': "''",
    '.http authentication-user': "''",
    '.http enabled': 'false',
    '.http host': "''",
    '.http port': '8080',
    '.http use-authentication': 'false',
    '.https host': "''",
    '.https port': '0',
    '.socks host': "''",
    '.socks port': '0',
    ...changes,
  };
  return Object.entries(values)
    .map(([key, value]) => `org.gnome.system.proxy${key} ${value}\n`)
    .join('');
}

const manual = { ' mode': "'manual'", '.http host': "'proxy.corp.example'", '.http port': '3128' };

describe('GNOME proxy settings (gsettings)', () => {
  it('reads a manual proxy per scheme with the ignored hosts as NO_PROXY entries', () => {
    const output = gsettings({ ...manual, '.https host': "'secure.corp.example'", '.https port': '8443', ' ignore-hosts': "['localhost', '127.0.0.0/8', '::1', '*.corp.example', 'fe80::/10', 'intranet:8080']" });
    expect(fields(parseGsettingsProxy(output))).toEqual({
      http: 'http://proxy.corp.example:3128/',
      https: 'http://secure.corp.example:8443/',
      noProxy: ['localhost', '127.0.0.0/8', '::1', '.corp.example', 'fe80::/10', 'intranet:8080'],
      pacUrl: null,
      source: 'system',
    });
  });

  it('sends https through the http proxy when no https host is set, as GNOME does', () => {
    expect(fields(parseGsettingsProxy(gsettings({ ...manual, ' ignore-hosts': '@as []' })))).toEqual({ http: 'http://proxy.corp.example:3128/', https: 'http://proxy.corp.example:3128/', noProxy: [], pacUrl: null, source: 'system' });
    // An https proxy alone leaves http direct.
    expect(fields(parseGsettingsProxy(gsettings({ ' mode': "'manual'", '.https host': "'secure.corp.example'", '.https port': '443' })))).toEqual({ http: null, https: 'http://secure.corp.example:443/', noProxy: ['localhost', '127.0.0.0/8', '::1'], pacUrl: null, source: 'system' });
  });

  it('puts the credentials in the proxy URL, percent-encoded, its password a secret; an https proxy on another server gets none', () => {
    const auth = { '.http use-authentication': 'true', '.http authentication-user': "'corp\\\\bob'", '.http authentication-password': `"it's:gn0me@pw"` };
    const same = parseGsettingsProxy(gsettings({ ...manual, ...auth, '.https host': "'proxy.corp.example'", '.https port': '3128' }));
    expect(fields(same)).toEqual({ http: 'http://corp%5Cbob:it\'s%3Agn0me%40pw@proxy.corp.example:3128/', https: 'http://corp%5Cbob:it\'s%3Agn0me%40pw@proxy.corp.example:3128/', noProxy: ['localhost', '127.0.0.0/8', '::1'], pacUrl: null, source: 'system' });
    expect(decodeURIComponent(same?.httpProxy?.password ?? '')).toBe("it's:gn0me@pw");
    expect(containsSecret("the password it's:gn0me@pw")).toBe(true);
    const other = parseGsettingsProxy(gsettings({ ...manual, ...auth, '.https host': "'secure.corp.example'", '.https port': '3128' }));
    expect([other?.httpProxy?.username, other?.httpsProxy?.username]).toEqual(['corp%5Cbob', '']);
    // Credentials are kept only when use-authentication says so.
    expect(parseGsettingsProxy(gsettings({ ...manual, ...auth, '.http use-authentication': 'false' }))?.httpProxy?.href).toBe('http://proxy.corp.example:3128/');
  });

  it('reads a PAC file in auto mode, and leaves WPAD discovery (auto without a URL) to the browser', () => {
    expect(fields(parseGsettingsProxy(gsettings({ ' mode': "'auto'", ' autoconfig-url': "'http://wpad/wpad.dat'", '.http host': "'proxy.corp.example'" })))).toEqual({ http: null, https: null, noProxy: ['localhost', '127.0.0.0/8', '::1'], pacUrl: 'http://wpad/wpad.dat', source: 'system' });
    expect(parseGsettingsProxy(gsettings({ ' mode': "'auto'" }))).toBeNull();
  });

  it('is null when the mode is none, or manual without an HTTP(S) proxy', () => {
    expect(parseGsettingsProxy(gsettings({ '.http host': "'proxy.corp.example'" }))).toBeNull();
    expect(parseGsettingsProxy(gsettings({ ' mode': "'manual'", '.socks host': "'socks.corp.example'", '.socks port': '1080' }))).toBeNull();
    expect(parseGsettingsProxy('')).toBeNull();
  });

  it('reads every GVariant quoting: double quotes around a single quote, backslash escapes, \\u escapes', () => {
    const output = gsettings({ ...manual, ' ignore-hosts': `['a\\'b.example', "it's.example", 'tab\\there', '\\u0041.example', "q\\"x"]` });
    expect(parseGsettingsProxy(output)?.noProxy).toEqual(["a'b.example", "it's.example", 'tab\there', 'a.example', 'q"x']);
    // A list that does not parse bypasses nothing; the proxy still counts.
    expect(fields(parseGsettingsProxy(gsettings({ ...manual, ' ignore-hosts': "['open" })))).toEqual({ http: 'http://proxy.corp.example:3128/', https: 'http://proxy.corp.example:3128/', noProxy: [], pacUrl: null, source: 'system' });
  });

  it('drops a scheme whose host or port is not one, without throwing', () => {
    for (const [host, port] of [["'proxy corp'", '3128'], ["'user@proxy'", '3128'], ["'proxy/x'", '3128'], ["'proxy.corp.example'", '0'], ["'proxy.corp.example'", '70000'], ["'proxy.corp.example'", "'3128'"], ['proxy.corp.example', '3128']]) {
      expect(parseGsettingsProxy(gsettings({ ' mode': "'manual'", '.http host': host ?? '', '.http port': port ?? '' }))).toBeNull();
    }
    expect(fields(parseGsettingsProxy(gsettings({ ...manual, '.https host': "'bad host'", '.https port': '443' })))).toEqual({ http: 'http://proxy.corp.example:3128/', https: null, noProxy: ['localhost', '127.0.0.0/8', '::1'], pacUrl: null, source: 'system' });
    // An IPv6 literal is written in brackets.
    expect(parseGsettingsProxy(gsettings({ ' mode': "'manual'", '.http host': "'fd00::3128'", '.http port': '3128' }))?.httpProxy?.href).toBe('http://[fd00::3128]:3128/');
  });
});

const scutil = `<dictionary> {
  ExceptionsList : <array> {
    0 : *.local
    1 : 169.254/16
    2 : 10.*
    3 : *corp*
  }
  ExcludeSimpleHostnames : 1
  HTTPEnable : 1
  HTTPPort : 3128
  HTTPProxy : proxy.corp.example
  HTTPSEnable : 1
  HTTPSPort : 3129
  HTTPSProxy : secure.corp.example
  ProxyAutoConfigEnable : 0
  ProxyAutoConfigURLString : http://wpad/wpad.dat
  __SCOPED__ : <dictionary> {
    en0 : <dictionary> {
      ExceptionsList : <array> {
        0 : scoped.example
      }
      HTTPSEnable : 1
      HTTPSPort : 1
      HTTPSProxy : scoped.example
    }
  }
}
`;

describe('macOS proxy settings (scutil --proxy)', () => {
  it("reads the top level's proxies and exceptions (ranges as CIDR; simple names and inner wildcards have no NO_PROXY form)", () => {
    expect(fields(parseScutilProxy(scutil))).toEqual({ http: 'http://proxy.corp.example:3128/', https: 'http://secure.corp.example:3129/', noProxy: ['.local', '169.254.0.0/16', '10.0.0.0/8'], pacUrl: null, source: 'system' });
  });

  it('leaves https direct when only the web proxy (HTTP) is on', () => {
    expect(fields(parseScutilProxy(scutil.replace('HTTPSEnable : 1\n  HTTPSPort', 'HTTPSEnable : 0\n  HTTPSPort')))).toEqual({ http: 'http://proxy.corp.example:3128/', https: null, noProxy: ['.local', '169.254.0.0/16', '10.0.0.0/8'], pacUrl: null, source: 'system' });
  });

  it('reads a PAC file when automatic configuration is on', () => {
    const output = '<dictionary> {\n  HTTPEnable : 0\n  HTTPSEnable : 0\n  ProxyAutoConfigEnable : 1\n  ProxyAutoConfigURLString : http://wpad/wpad.dat\n}\n';
    expect(fields(parseScutilProxy(output))).toEqual({ http: null, https: null, noProxy: [], pacUrl: 'http://wpad/wpad.dat', source: 'system' });
  });

  it('is null when nothing is on, and drops a proxy without a valid port', () => {
    expect(parseScutilProxy('<dictionary> {\n  HTTPEnable : 0\n  HTTPSEnable : 0\n  ProxyAutoConfigEnable : 0\n}\n')).toBeNull();
    expect(parseScutilProxy('<dictionary> {\n  HTTPEnable : 1\n  HTTPProxy : proxy.corp.example\n}\n')).toBeNull();
    expect(parseScutilProxy('<dictionary> {\n  HTTPEnable : 1\n  HTTPPort : 99999\n  HTTPProxy : proxy.corp.example\n}\n')).toBeNull();
  });
});

const internetSettings = (values: Record<string, [string, string]>): string =>
  [
    '',
    'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings',
    '    User Agent    REG_SZ    Mozilla/4.0 (compatible; MSIE 8.0; Win32)',
    '    IE5_UA_Backup_Flag    REG_SZ    5.0',
    ...Object.entries(values).map(([name, [type, data]]) => `    ${name}    ${type}    ${data}`),
    '',
    'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\5.0',
    'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Connections',
    '',
  ].join('\r\n');

describe('Windows proxy settings (reg query of Internet Settings)', () => {
  it('reads one server for both schemes; ProxyOverride becomes NO_PROXY (<local> and inner wildcards have no form)', () => {
    const output = internetSettings({ ProxyEnable: ['REG_DWORD', '0x1'], ProxyServer: ['REG_SZ', 'proxy.corp.example:8080'], ProxyOverride: ['REG_SZ', '*.corp.example; intranet;192.168.*.*;<local>;*corp*'] });
    expect(fields(parseRegistryProxy(output))).toEqual({ http: 'http://proxy.corp.example:8080/', https: 'http://proxy.corp.example:8080/', noProxy: ['.corp.example', 'intranet', '192.168.0.0/16'], pacUrl: null, source: 'system' });
  });

  it('reads a server per scheme, a scheme left out going direct', () => {
    const both = internetSettings({ ProxyEnable: ['REG_DWORD', '0x1'], ProxyServer: ['REG_SZ', 'http=p1.corp.example:80;https=https://p2.corp.example:443;socks=s.corp.example:1080'] });
    expect(fields(parseRegistryProxy(both))).toEqual({ http: 'http://p1.corp.example/', https: 'https://p2.corp.example/', noProxy: [], pacUrl: null, source: 'system' });
    const httpOnly = internetSettings({ ProxyEnable: ['REG_DWORD', '0x1'], ProxyServer: ['REG_SZ', 'http=p1.corp.example:3128'] });
    expect(fields(parseRegistryProxy(httpOnly))).toEqual({ http: 'http://p1.corp.example:3128/', https: null, noProxy: [], pacUrl: null, source: 'system' });
  });

  it('ignores ProxyServer while ProxyEnable is 0x0, but not AutoConfigURL', () => {
    const off = { ProxyEnable: ['REG_DWORD', '0x0'], ProxyServer: ['REG_SZ', 'proxy.corp.example:8080'] } satisfies Record<string, [string, string]>;
    expect(parseRegistryProxy(internetSettings(off))).toBeNull();
    expect(fields(parseRegistryProxy(internetSettings({ ...off, AutoConfigURL: ['REG_SZ', 'http://wpad/wpad.dat'] })))).toEqual({ http: null, https: null, noProxy: [], pacUrl: 'http://wpad/wpad.dat', source: 'system' });
  });

  it('keeps the manual proxy and the PAC file when both are set', () => {
    const output = internetSettings({ ProxyEnable: ['REG_DWORD', '0x1'], ProxyServer: ['REG_SZ', 'proxy.corp.example:8080'], AutoConfigURL: ['REG_SZ', 'http://wpad/wpad.dat'] });
    expect(fields(parseRegistryProxy(output))).toEqual({ http: 'http://proxy.corp.example:8080/', https: 'http://proxy.corp.example:8080/', noProxy: [], pacUrl: 'http://wpad/wpad.dat', source: 'system' });
  });

  it('drops a server that is not one, and an empty ProxyServer', () => {
    expect(parseRegistryProxy(internetSettings({ ProxyEnable: ['REG_DWORD', '0x1'], ProxyServer: ['REG_SZ', 'proxy.corp.example:99999'] }))).toBeNull();
    expect(parseRegistryProxy(internetSettings({ ProxyEnable: ['REG_DWORD', '0x1'], ProxyServer: ['REG_SZ', 'socks://proxy.corp.example:1080'] }))).toBeNull();
    expect(parseRegistryProxy(internetSettings({ ProxyEnable: ['REG_DWORD', '0x1'], ProxyServer: ['REG_SZ', ''] }))).toBeNull();
  });
});

/** A fake RunCommand that answers `output` and records what it was asked to run. */
function fakeRun(output: string | null | Error): { run: RunCommand; calls: [string, string[]][] } {
  const calls: [string, string[]][] = [];
  return {
    calls,
    run: (command, args) => {
      calls.push([command, args]);
      return output instanceof Error ? Promise.reject(output) : Promise.resolve(output);
    },
  };
}

describe('readSystemProxy', () => {
  it("runs each platform's settings command, with exactly these arguments", async () => {
    const linux = fakeRun(gsettings(manual));
    expect((await readSystemProxy({ platform: 'linux', run: linux.run }))?.httpProxy?.href).toBe('http://proxy.corp.example:3128/');
    expect(linux.calls).toEqual([['gsettings', ['list-recursively', 'org.gnome.system.proxy']]]);
    const mac = fakeRun(scutil);
    expect((await readSystemProxy({ platform: 'darwin', run: mac.run }))?.httpsProxy?.href).toBe('http://secure.corp.example:3129/');
    expect(mac.calls).toEqual([['/usr/sbin/scutil', ['--proxy']]]);
    const windows = fakeRun(internetSettings({ ProxyEnable: ['REG_DWORD', '0x1'], ProxyServer: ['REG_SZ', 'proxy.corp.example:8080'] }));
    expect((await readSystemProxy({ platform: 'win32', run: windows.run }))?.httpProxy?.href).toBe('http://proxy.corp.example:8080/');
    expect(await readSystemProxy({ platform: 'win32', run: windows.run, env: { SystemRoot: 'D:\\WINDOWS' } })).not.toBeNull();
    // reg.exe by its full path, never a `reg` found in the current folder.
    expect(windows.calls).toEqual([
      ['C:\\Windows\\System32\\reg.exe', ['query', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings']],
      ['D:\\WINDOWS\\System32\\reg.exe', ['query', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings']],
    ]);
  });

  it('is null when the command is missing or fails, or throws, or on another platform (which runs nothing)', async () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(await readSystemProxy({ platform, run: fakeRun(null).run })).toBeNull();
      expect(await readSystemProxy({ platform, run: fakeRun(new Error('spawn EACCES')).run })).toBeNull();
      expect(await readSystemProxy({ platform, run: fakeRun('\u0000 not settings at all {{{').run })).toBeNull();
    }
    const bsd = fakeRun(gsettings(manual));
    expect(await readSystemProxy({ platform: 'freebsd', run: bsd.run })).toBeNull();
    expect(bsd.calls).toEqual([]);
  });
});

describe('proxyConfigFor', () => {
  it("takes the environment's proxy without reading the system's", async () => {
    const system = fakeRun(gsettings(manual));
    const config = await proxyConfigFor({ HTTPS_PROXY: 'http://env.example:3128' }, 'linux', system.run);
    expect([config.source, config.httpsProxy?.href]).toEqual(['environment', 'http://env.example:3128/']);
    expect(await proxyConfigFor({ LATCHKEY_PROXY: 'direct' }, 'linux', system.run)).toBe(directConfig);
    expect(system.calls).toEqual([]);
  });

  it("reads the system's when the environment names no proxy, else goes direct", async () => {
    const config = await proxyConfigFor({ NO_PROXY: 'ignored.example' }, 'linux', fakeRun(gsettings(manual)).run);
    expect(fields(config)).toEqual({ http: 'http://proxy.corp.example:3128/', https: 'http://proxy.corp.example:3128/', noProxy: ['localhost', '127.0.0.0/8', '::1'], pacUrl: null, source: 'system' });
    expect(proxyFor(config, 'https://sso.example.com/')?.href).toBe('http://proxy.corp.example:3128/');
    expect(await proxyConfigFor({}, 'linux', fakeRun(gsettings({})).run)).toBe(directConfig);
    expect(await proxyConfigFor({}, 'win32', fakeRun(null).run)).toBe(directConfig);
  });
});

const gsettingsPath = ((): string | null => {
  try {
    return execFileSync('sh', ['-c', 'command -v gsettings'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
})();

describe('commandRunner', () => {
  const run = commandRunner();

  it("gives a program's output, and null when it is missing, fails or outlives the timeout", async () => {
    expect(await run(process.execPath, ['-e', 'process.stdout.write("settings")'])).toBe('settings');
    expect(await run(join(tmpdir(), 'latchkey-no-such-program'), [])).toBeNull();
    expect(await run(process.execPath, ['-e', 'process.exit(1)'])).toBeNull();
    expect(await commandRunner({ timeoutMs: 100 })(process.execPath, ['-e', 'setTimeout(() => {}, 600_000)'])).toBeNull();
  });

  it('passes arguments as they are, never to a shell', async () => {
    expect(await run(process.execPath, ['-e', 'process.stdout.write(process.argv[1])', '$(echo hi); `id` | x'])).toBe('$(echo hi); `id` | x');
  });

  // GSettings' keyfile backend keeps the settings in a file of ours, which the real tool prints.
  it.skipIf(gsettingsPath === null)("reads a manual proxy through GNOME's own gsettings, credentials and odd ignored hosts included", async () => {
    const config = mkdtempSync(join(tmpdir(), 'latchkey-gsettings-'));
    try {
      mkdirSync(join(config, 'glib-2.0', 'settings'), { recursive: true });
      writeFileSync(
        join(config, 'glib-2.0', 'settings', 'keyfile'),
        [
          '[system/proxy]',
          "mode='manual'",
          `ignore-hosts=['localhost', "it's.example", '*.corp.example', '10.0.0.0/8']`,
          '[system/proxy/http]',
          "host='proxy.corp.example'",
          'port=3128',
          'use-authentication=true',
          "authentication-user='bob'",
          `authentication-password='p@ss:w"rd\\\\x'`,
          '',
        ].join('\n'),
      );
      const real = commandRunner({ env: { ...process.env, GSETTINGS_BACKEND: 'keyfile', XDG_CONFIG_HOME: config } });
      const found = await readSystemProxy({ platform: 'linux', run: real });
      expect(fields(found)).toEqual({
        http: 'http://bob:p%40ss%3Aw%22rd%5Cx@proxy.corp.example:3128/',
        https: 'http://bob:p%40ss%3Aw%22rd%5Cx@proxy.corp.example:3128/',
        noProxy: ['localhost', "it's.example", '.corp.example', '10.0.0.0/8'],
        pacUrl: null,
        source: 'system',
      });
      expect(decodeURIComponent(found?.httpProxy?.password ?? '')).toBe('p@ss:w"rd\\x');
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });
});
