// The desktop app taking over a home from a headless agent, with the real parts of both sides but
// Electron's own: run by desktop-takeover.test.ts inside a D-Bus session with a real GNOME Keyring.
// A real `latchkey agent` logs in to the lab's oidc site and seals its store with the keyring's
// key; the desktop composition (takeOverHome, openDesktopStore with a stand-in for safeStorage
// and the keyring in this process, an engine whose windows may not open) stops it, opens its
// store, and renews the session silently. Prints one JSON line: what it saw.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { takeOverHome } from '../../core/agent/agent-takeover.ts';
import { createEngine } from '../../core/engine.ts';
import { homePaths } from '../../core/home.ts';
import { silentLogger } from '../../core/log.ts';
import type { LoginWindowFactory } from '../../core/login/login-window.ts';
import { inProcessKeyring, openHeadlessVault, osKeyring } from '../../core/sessions/keyring-vault.ts';
import { readSealedStore } from '../../core/sessions/store-envelope.ts';
import { openDesktopStore, type SafeStorageLike } from '../../electron/common/desktop-store.ts';
import { startLab } from '../lab/lab.ts';
import { runCli, startCli, type CliRun } from '../support/cli-process.ts';

const [home] = process.argv.slice(2) as [string];
const host = 'ws-a';
const paths = homePaths(home, host);
const env: NodeJS.ProcessEnv = { ...process.env, LATCHKEY_HOME: home, LATCHKEY_HOST: host, LATCHKEY_NO_AUTOSTART: '1' };
delete env['LATCHKEY_KEYRING'];

/** A stand-in for Electron's safeStorage: AES-GCM under a key of this process. */
const safeKey = randomBytes(32);
const safeStorage: SafeStorageLike = {
  available: async () => true,
  plainText: () => false,
  encrypt: async (text) => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', safeKey, nonce);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return Buffer.concat([nonce, cipher.getAuthTag(), body]);
  },
  decrypt: async (data) => {
    const decipher = createDecipheriv('aes-256-gcm', safeKey, data.subarray(0, 12));
    decipher.setAuthTag(data.subarray(12, 28));
    return { text: Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8'), reseal: false };
  },
};

/** Runs `latchkey ARGS`; never synchronously: the lab answering its logins runs in this process. */
const cli = (args: string[]): Promise<CliRun> => runCli(args, env);

const report: Record<string, unknown> = {};
const lab = await startLab({ autoLogin: 'ada' });
const agent = startCli(['agent', '--headless'], env);
try {
  await agent.stderrHas('Stop it with');
  const added = await cli(['sites', 'add', lab.cloud.url, '--preset', 'cloudshell', '--issuer', lab.idp.issuer, '--client-id', lab.cloud.clientId, '--name', 'Cloud']);
  if (added.code !== 0) throw new Error(`sites add: ${added.stderr}`);
  const token = await cli(['token']);
  if (token.code !== 0) throw new Error(`token: ${token.stderr}`);
  const first = token.stdout.trim();
  report['headlessStorage'] = (JSON.parse((await cli(['status', '--json'])).stdout) as { agent: { storage: string } }).agent.storage;
  report['headlessHolders'] = readSealedStore(readFileSync(paths.sessions)).holders;

  // The desktop app starts: it asks the agent to stop, then opens the agent's store.
  report['stopped'] = (await takeOverHome(paths, silentLogger)) === agent.pid;
  report['agentExit'] = (await agent.done).code;
  const { vault, note } = await openDesktopStore({ paths, safeStorage, keyring: inProcessKeyring(), logger: silentLogger });
  report['desktopProtection'] = vault.protection;
  report['desktopNote'] = note;
  let windowsOpened = 0;
  const windows: LoginWindowFactory = {
    open: async () => {
      windowsOpened += 1;
      throw new Error('a renewal after the takeover must not open a window');
    },
    clearProfile: async () => undefined,
  };
  const engine = await createEngine({ home, host, version: '0.0.0-test', vault, windows, logger: silentLogger });
  try {
    const site = engine.registry.find('Cloud');
    report['sessionTakenOver'] = engine.store.get(site.id)?.credential.value === first;
    // The next renewal: silent, from the refresh token the headless agent's login stored.
    await engine.handlers.invalidate({ id: site.id }, { client: 'takeover-test' });
    const grant = await engine.handlers.getSession({ id: site.id, wait: 60, prompt: false }, { client: 'takeover-test' });
    report['renewed'] = grant.credential.value !== first && grant.user === 'ada@lab.example';
    report['windowsOpened'] = windowsOpened;
    report['desktopHolders'] = readSealedStore(readFileSync(paths.sessions)).holders;
    // And a headless agent again opens what the app wrote.
    const back = await openHeadlessVault({ home, path: paths.sessions, logger: silentLogger, keyring: await osKeyring() });
    report['headlessReadsDesktop'] = (await back.vault.load()).sessions[site.id]?.credential.value === grant.credential.value;
  } finally {
    engine.close();
  }
} catch (error) {
  report['error'] = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
} finally {
  agent.kill('SIGTERM');
  await lab.close();
}
process.stdout.write(JSON.stringify(report) + '\n');
