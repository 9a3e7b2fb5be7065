import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../../build-renderer.ts';
import type { BridgeResult } from '../../core/common/operations.ts';
import type { AgentStatus, SiteView } from '../../core/common/views.ts';
import { findElectronBinary } from '../../electron/common/electron-binary.ts';
import { until } from '../support/until.ts';
import type { TrayMenuEntry } from '../../electron/common/tray-menu.ts';
import type { TrayState } from '../../electron/common/tray-state.ts';
import { startLab, type Lab } from '../lab/lab.ts';
import { makeTestHome, type TestHome } from '../support/test-home.ts';
import { homePaths } from '../../core/home.ts';

// The desktop app itself, driven by Playwright's Electron support: window, Bridge, agent, tray,
// login window against the SSO lab, deep links and the second instance. Electron's binary is
// downloaded at first use and this project's build machines have no network for it, so these
// tests run only where a binary exists, and say so otherwise.

const root = join(import.meta.dirname, '..', '..');
const binary = findElectronBinary(join(root, 'node_modules', 'electron'));
if (!binary.found) console.log(`SKIP Electron end-to-end tests: no Electron binary (${binary.reason})`);

// Chromium refuses to run as root with its sandbox on (CI runs as root), and a virtual display has no GPU.
const chromiumArgs = [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-gpu'];

describe.skipIf(!binary.found)('the desktop app', () => {
  let lab: Lab;
  let home: TestHome;
  let app: ElectronApplication;
  let page: Page;
  let env: Record<string, string>;
  let siteId: string;

  const call = async <T>(name: string, request: object): Promise<BridgeResult<T>> =>
    (await page.evaluate(`window.latchkey.call(${JSON.stringify(name)}, ${JSON.stringify(request)})`)) as BridgeResult<T>;
  const tray = async (): Promise<{ state: TrayState; model: TrayMenuEntry[] }> =>
    app.evaluate(() => (Reflect.get(globalThis, 'latchkeyE2E') as { tray(): { state: TrayState; model: TrayMenuEntry[] } }).tray());
  const partitionCookies = async (partition: string): Promise<string[]> =>
    app.evaluate(async ({ session }, name) => (await session.fromPartition(name).cookies.get({})).map((cookie) => cookie.name), partition);
  const agent = (): { port: number; token: string; pid: number } => JSON.parse(readFileSync(join(homePaths(home.dir).hostDir, 'agent.json'), 'utf8')) as { port: number; token: string; pid: number };
  const secondInstance = (...args: string[]): Promise<number | null> =>
    new Promise((resolve) => spawn(binary.found ? binary.path : '', ['.', ...chromiumArgs, ...args], { cwd: root, env, stdio: 'ignore' }).on('exit', resolve));

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'electron', 'scripts', 'build.ts')], { cwd: root, stdio: 'pipe' });
    await ensureRendererBuilt();
    lab = await startLab({ autoLogin: 'ada' });
    home = makeTestHome('electron-e2e');
    env = { ...(process.env as Record<string, string>), LATCHKEY_HOME: home.dir, LATCHKEY_E2E: '1' };
    app = await _electron.launch({ executablePath: binary.found ? binary.path : '', args: ['.', ...chromiumArgs], cwd: root, env });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await app?.close();
    await lab?.close();
  });

  it('shows the renderer from the app origin, with exactly the Bridge and no Node', async () => {
    expect(page.url()).toBe('app://latchkey/index.html');
    expect(await page.evaluate('Object.keys(window.latchkey).sort()')).toEqual(['call', 'onEvent']);
    expect(await page.evaluate('[typeof require, typeof process, typeof window.ipcRenderer]')).toEqual(['undefined', 'undefined', 'undefined']);
  });

  it('answers status over IPC, naming its storage', async () => {
    const result = await call<AgentStatus>('status', {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(['keychain', 'memory']).toContain(result.value.storage);
    if (result.value.storage === 'memory') expect(result.value.storageNote).toMatch(/keychain/i);
  });

  it('refuses getSession and malformed requests over IPC', async () => {
    expect(await call('getSession', { id: 'x' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('logout', { id: 42 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('serves the agent API of its home', async () => {
    const { port, token, pid } = agent();
    expect(pid).toBe(app.process().pid);
    const response = await fetch(`http://127.0.0.1:${port}/v1/health`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
  });

  it('refuses navigation and new windows in the app window', async () => {
    // The main process sees the attempt (and refuses it in its own handler, which runs first).
    const attempted = app.evaluate(({ BrowserWindow }) => new Promise<string>((resolve) => BrowserWindow.getAllWindows()[0]?.webContents.once('will-navigate', (_event, url) => resolve(url))));
    await page.evaluate("window.open('https://example.invalid/'); location.href = 'https://example.invalid/'");
    expect(await attempted).toBe('https://example.invalid/');
    expect(page.url()).toBe('app://latchkey/index.html');
    expect(app.windows()).toHaveLength(1);
  });

  it('adds a site, and the tray says it needs a login', async () => {
    const added = await call<SiteView>('addSite', { url: lab.site.url, name: 'Studio', preset: 'shotgrid' });
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    siteId = added.value.id;
    await until(tray, (snapshot) => snapshot.state === 'attention');
    expect((await tray()).model[0]).toMatchObject({ kind: 'site', site: siteId, detail: 'not logged in', action: { label: 'Log in…' } });
  });

  it("logs in through a login window in the site's own partition, and hands the session to the agent's clients", async () => {
    const login = await call<SiteView>('login', { id: siteId });
    expect(login).toMatchObject({ ok: true, value: { session: { state: 'valid', user: 'ada' } } });
    await until(tray, (snapshot) => snapshot.state === 'ok');
    // The credential rests in the store only: the site's cookie left the partition after the
    // capture, the identity provider's stayed there for silent renewal.
    const kept = await partitionCookies(`persist:latchkey-${siteId}`);
    expect(kept).not.toContain('_session_id');
    expect(kept.length).toBeGreaterThan(0);
    expect(await partitionCookies('')).not.toContain('_session_id');
    const { port, token } = agent();
    const grant = (await (await fetch(`http://127.0.0.1:${port}/v1/sites/${siteId}/session`, { headers: { authorization: `Bearer ${token}` } })).json()) as { credential: { name: string; value: string } };
    expect(grant.credential.name).toBe('_session_id');
    expect(lab.site.issuedSessions()).toContain(grant.credential.value);
  });

  it('logs out and clears the partition', async () => {
    expect(await call<{ site: SiteView }>('logout', { id: siteId })).toMatchObject({ ok: true, value: { site: { session: { state: 'none' } } } });
    expect(await partitionCookies(`persist:latchkey-${siteId}`)).not.toContain('_session_id');
  });

  it('hands a deep link from a second instance to the first, which logs in', async () => {
    expect(await secondInstance(`latchkey://login?site=${siteId}`)).toBe(0);
    await until(tray, (snapshot) => snapshot.model[0]?.kind === 'site' && /^ada, expires/.test(snapshot.model[0].detail));
  });

  it('ignores a deep link to a site that is not registered', async () => {
    expect(await secondInstance('latchkey://login?site=nowhere')).toBe(0);
    await until(() => readFileSync(homePaths(home.dir).log, 'utf8'), (log) => log.includes('a deep link named no single registered site'));
  });
});
