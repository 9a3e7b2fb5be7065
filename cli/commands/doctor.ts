import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { hasCode } from '../../core/common/errors.ts';
import { forDisplay } from '../../core/common/display-text.ts';
import { homePaths, hostName, latchkeyHome } from '../../core/home.ts';
import { describeProxy, type ProxyConfig } from '../../core/net/proxy-config.ts';
import { proxyConfigFor } from '../../core/net/system-proxy.ts';
import { defineCommand } from '../command.ts';
import type { CommandDeps } from '../deps.ts';
import { exitCodes } from '../exit-codes.ts';
import { latchkeyVersion } from '../version.ts';

/** One finding of `latchkey doctor`: what was checked, how it went, and what to do. */
export interface Finding {
  check: string;
  state: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

/** A proxy URL as it may be shown: its credentials replaced. */
export function proxyForDisplay(value: string): string {
  try {
    const url = new URL(value);
    if (url.username !== '' || url.password !== '') {
      url.username = '***';
      url.password = '';
    }
    return url.href;
  } catch {
    // Not a URL: shown without anything after an `@`, which could be a password.
    return value.replace(/^.*@/, '***@');
  }
}

function homeFinding(home: string): Finding {
  if (!existsSync(home)) return { check: 'home', state: 'ok', detail: `${home} (not created yet: the first command that needs it creates it)` };
  try {
    const stat = statSync(home);
    accessSync(home, constants.W_OK);
    const open = process.platform !== 'win32' && (stat.mode & 0o077) !== 0;
    return open
      ? { check: 'home', state: 'warn', detail: `${home} can be read by other users (mode ${(stat.mode & 0o777).toString(8)})`, fix: `chmod 700 '${home}'` }
      : { check: 'home', state: 'ok', detail: home };
  } catch (error) {
    return { check: 'home', state: 'fail', detail: `${home} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`, fix: 'Set LATCHKEY_HOME to a folder of yours, or fix its owner.' };
  }
}

/** Finds the browser and starts it once, headless, as a login would. */
async function browserFinding(env: NodeJS.ProcessEnv): Promise<Finding> {
  const [{ findBrowser }, { chromiumFlags, environmentFlags }] = await Promise.all([import('../../core/browser/find-browser.ts'), import('../../core/browser/chromium-flags.ts')]);
  let path: string;
  try {
    path = findBrowser(env);
  } catch (error) {
    const { message, hint } = error as { message: string; hint?: string };
    return { check: 'browser', state: 'fail', detail: message, ...(hint === undefined ? {} : { fix: hint }) };
  }
  const { chromium } = await import('playwright-core');
  try {
    const browser = await chromium.launch({ executablePath: path, headless: true, args: [...chromiumFlags, ...environmentFlags(process.getuid?.() === 0)], timeout: 60_000 });
    const version = browser.version();
    await browser.close();
    return { check: 'browser', state: 'ok', detail: `${path} (${version}) starts` };
  } catch (error) {
    const first = String((error as Error).message).split('\n')[0] ?? '';
    return { check: 'browser', state: 'fail', detail: `${path} is there but does not start: ${first}`, fix: 'Set LATCHKEY_BROWSER to another Chrome, Chromium, Edge or Brave.' };
  }
}

async function agentFinding(deps: CommandDeps): Promise<Finding[]> {
  try {
    const client = await deps.connect('latchkey doctor', { start: false });
    try {
      const status = await client.call('status', {}, { signal: deps.signal });
      const skew = status.version !== latchkeyVersion;
      return [
        {
          check: 'agent',
          state: skew ? 'warn' : 'ok',
          detail: `running, pid ${status.pid}, Latchkey ${status.version}`,
          ...(skew ? { fix: `\`latchkey agent stop\`: the next command starts the agent of this version (${latchkeyVersion}).` } : {}),
        },
        {
          check: 'storage',
          state: status.storage === 'plaintext' ? 'warn' : 'ok',
          detail: `${status.storage}${status.storageNote === null ? '' : `: ${status.storageNote}`}`,
        },
      ];
    } finally {
      client.close();
    }
  } catch (error) {
    if (!hasCode(error, 'agent_not_running')) throw error;
    const on = deps.env['LATCHKEY_NO_AUTOSTART'] === '1' ? { state: 'warn' as const, detail: 'not running, and LATCHKEY_NO_AUTOSTART=1 keeps commands from starting one', fix: 'Run `latchkey agent`, or unset LATCHKEY_NO_AUTOSTART.' } : { state: 'ok' as const, detail: 'not running; the next command that needs one starts it' };
    return [{ check: 'agent', ...on }];
  }
}

/**
 * The proxy settings Latchkey goes by (the environment's, else the system's), with the variables
 * seen, so that a person can tell which of them won. Credentials are never shown.
 */
async function proxyFinding(env: NodeJS.ProcessEnv): Promise<Finding> {
  const names = ['LATCHKEY_PROXY', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'].filter((name) => env[name]);
  const seen = names.length === 0 ? '' : `; seen: ${names.map((name) => `${name}=${name.toLowerCase() === 'no_proxy' ? env[name] : proxyForDisplay(env[name] ?? '')}`).join(', ')}`;
  let config: ProxyConfig;
  try {
    config = await proxyConfigFor(env, process.platform);
  } catch (error) {
    // A proxy variable that is not a proxy URL: the agent would not start with it.
    const { message, hint } = error as { message: string; hint?: string };
    return { check: 'proxy', state: 'fail', detail: `${message.replace(/\.$/, '')}${seen}`, ...(hint === undefined ? {} : { fix: hint }) };
  }
  if (config.source === 'none') return { check: 'proxy', state: 'ok', detail: `none: direct connections${seen === '' ? ' (no proxy in the environment or the system settings)' : seen}` };
  const from = { LATCHKEY_PROXY: 'LATCHKEY_PROXY', environment: 'the environment', system: "the system's settings", site: "a site's profile" }[config.source];
  const via = (proxy: URL | null): string => (proxy === null ? 'direct' : `via ${describeProxy(proxy)}`);
  const count = config.noProxy.length;
  const manual = `https ${via(config.httpsProxy)}, http ${via(config.httpProxy)}, ${count} no_proxy ${count === 1 ? 'entry' : 'entries'}`;
  if (config.httpsProxy === null && config.httpProxy === null && config.pacUrl !== null) {
    return { check: 'proxy', state: 'ok', detail: `from ${from}: PAC file ${config.pacUrl}, run by the login browser and for Latchkey's own calls${seen}` };
  }
  return { check: 'proxy', state: 'ok', detail: `from ${from}: ${manual}${config.pacUrl === null ? '' : ` (PAC file ${config.pacUrl} not used: a manual proxy is set)`}${seen}` };
}

function certificateFinding(env: NodeJS.ProcessEnv): Finding {
  const extra = env['NODE_EXTRA_CA_CERTS'];
  return extra === undefined || extra === ''
    ? { check: 'certificates', state: 'ok', detail: "the system's store in the login browser; Node's and the system's stores for Latchkey's own calls (NODE_EXTRA_CA_CERTS adds a private CA)" }
    : existsSync(extra)
      ? { check: 'certificates', state: 'ok', detail: `NODE_EXTRA_CA_CERTS=${extra} is added to Latchkey's own calls` }
      : { check: 'certificates', state: 'fail', detail: `NODE_EXTRA_CA_CERTS=${extra} does not exist`, fix: 'Point NODE_EXTRA_CA_CERTS at your CA bundle (PEM), or unset it.' };
}

async function serviceFinding(env: NodeJS.ProcessEnv): Promise<Finding> {
  const [{ serviceEntry }, { serviceContext }] = await Promise.all([import('../service/service-entry.ts'), import('../service/service-context.ts')]);
  const entry = serviceEntry(serviceContext(env));
  if (entry === null) return { check: 'service', state: 'ok', detail: `no service manager known on ${process.platform}: the agent starts on demand` };
  return existsSync(entry.path)
    ? { check: 'service', state: 'ok', detail: `${entry.kind} starts the agent at login (${entry.path})` }
    : { check: 'service', state: 'ok', detail: 'the agent does not start at login; it starts on demand', fix: '`latchkey service install` starts it at login.' };
}

const marks: Record<Finding['state'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

/** `latchkey doctor`: checks what a login needs on this machine and says what to fix. */
async function runDoctor(deps: CommandDeps): Promise<number> {
  const home = latchkeyHome(deps.env);
  const findings: Finding[] = [
    { check: 'latchkey', state: 'ok', detail: `${latchkeyVersion} on Node.js ${process.versions.node} (${process.platform}, ${process.arch})` },
    homeFinding(home),
    ...(await agentFinding(deps)),
    await browserFinding(deps.env),
    await proxyFinding(deps.env),
    certificateFinding(deps.env),
    await serviceFinding(deps.env),
    { check: 'log', state: 'ok', detail: homePaths(home, hostName(deps.env)).log },
  ];
  const width = Math.max(...findings.map((finding) => finding.check.length));
  for (const finding of findings) {
    deps.stdout.write(`${marks[finding.state]}  ${finding.check.padEnd(width)}  ${forDisplay(finding.detail)}\n`);
    if (finding.fix !== undefined && finding.state !== 'ok') deps.stdout.write(`${' '.repeat(width + 8)}fix: ${forDisplay(finding.fix)}\n`);
  }
  const failed = findings.filter((finding) => finding.state === 'fail').length;
  deps.stdout.write(failed === 0 ? 'Nothing stops a login here.\n' : `${failed} ${failed === 1 ? 'problem stops' : 'problems stop'} a login here.\n`);
  return failed === 0 ? exitCodes.ok : exitCodes.error;
}

/** `latchkey doctor`. */
export const command = defineCommand<Record<string, never>>({
  operands: [],
  options: [],
  details: `Checks the home, the agent and its storage, the login browser (found and started once,
headless), the proxy and CA settings it sees, and whether the agent starts at login; each line
says ok, warn or FAIL, with what to do. Exit 1 when something stops a login. Never starts an agent.`,
  examples: ['latchkey doctor'],
  read: () => ({}),
  run: (_options, deps) => runDoctor(deps),
});
