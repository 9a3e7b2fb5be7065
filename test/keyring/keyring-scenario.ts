// One keyring scenario, run by keyring.test.ts inside a D-Bus session of its own with a real
// GNOME Keyring (keyring-session.sh). Prints one JSON line: what the scenario saw.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { keyringAccount, keyringService, openHeadlessVault, osKeyring } from '../../core/sessions/keyring-vault.ts';
import { isSealed } from '../../core/sessions/store-envelope.ts';
import { silentLogger } from '../../core/log.ts';
import { startCli } from '../support/cli-process.ts';
import type { Session } from '../../core/sessions/session.ts';

const [scenario, home, secret] = process.argv.slice(2) as [string, string, string];
const path = join(home, 'sessions.json');

function session(value: string): Session {
  return {
    siteId: 'studio',
    siteUrl: 'https://studio.example.com',
    user: 'ada',
    credential: { kind: 'cookie', name: '_session_id', value },
    cookies: [{ name: '_session_id', value, domain: 'studio.example.com', path: '/', expires: null, httpOnly: true, secure: true, sameSite: 'Lax' }],
    obtainedAt: 1,
    expiresAt: null,
  };
}

/** What the keyring holds for this home, read with secret-tool (libsecret), not with the library under test. */
function keyringItem(): string | null {
  const result = spawnSync('secret-tool', ['lookup', 'service', keyringService, 'username', keyringAccount(home)], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout : null;
}

async function open() {
  return openHeadlessVault({ home, path, logger: silentLogger, keyring: await osKeyring() });
}

/** Stops the Secret Service this scenario runs with, and waits until nothing answers for it. */
async function stopKeyring(): Promise<void> {
  process.kill(Number(process.env['KEYRING_PID']), 'SIGTERM');
  while (spawnSync('secret-tool', ['search', '--all', 'latchkey-probe', 'none']).status === 0) await pause(20);
}

const report: Record<string, unknown> = { scenario };
try {
  if (scenario === 'seal') {
    const first = await open();
    await first.vault.save({ studio: session(secret) });
    report['protection'] = first.vault.protection;
    report['note'] = first.note;
    report['sealed'] = isSealed(readFileSync(path));
    report['key'] = keyringItem();
    const again = await open();
    report['reopened'] = (await again.vault.load()).sessions['studio']?.credential.value === secret;
  } else if (scenario === 'replaced-key') {
    await (await open()).vault.save({ studio: session(secret) });
    // Another key under the same item: what a reinstalled keyring, or a restored one, holds.
    spawnSync('secret-tool', ['store', '--label', 'replaced', 'service', keyringService, 'username', keyringAccount(home)], { input: 'A'.repeat(43) });
    const load = await (await open()).vault.load();
    report['sessions'] = Object.keys(load.sessions);
    report['setAside'] = load.corrupt?.setAsidePath ?? null;
  } else if (scenario === 'keyring-gone') {
    const running = await open();
    await running.vault.save({ studio: session('before') });
    await stopKeyring();
    // The running agent holds its key: it goes on sealing.
    await running.vault.save({ studio: session(secret) });
    report['stillSealed'] = isSealed(readFileSync(path));
    const bytesBefore = readFileSync(path);
    // A new agent (a process of its own) finds a sealed store and no keyring: it refuses, and leaves the store as it was.
    const child = spawnSync(process.execPath, [new URL(import.meta.url).pathname, 'reopen', home, secret], { encoding: 'utf8', env: process.env });
    report['reopen'] = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as unknown;
    report['untouched'] = readFileSync(path).equals(bytesBefore);
  } else if (scenario === 'reopen') {
    const opened = await open();
    report['protection'] = opened.vault.protection;
    report['sessions'] = Object.keys((await opened.vault.load()).sessions);
  } else if (scenario === 'no-secret-service') {
    // A Linux session without a Secret Service: the library would fall back to the kernel's
    // keyring, which forgets at logout; not a keyring to seal with.
    await stopKeyring();
    const opened = await open();
    await opened.vault.save({ studio: session(secret) });
    report['protection'] = opened.vault.protection;
    report['note'] = opened.note;
    report['plain'] = !isSealed(readFileSync(path));
  } else if (scenario === 'migrate') {
    // A plaintext store from before the keyring: read, and sealed at the next save.
    const plain = await openHeadlessVault({ home, path, logger: silentLogger, keyring: null });
    await plain.vault.save({ studio: session(secret) });
    report['plainFirst'] = !isSealed(readFileSync(path));
    const sealed = await open();
    const load = await sealed.vault.load();
    report['read'] = load.sessions['studio']?.credential.value === secret;
    await sealed.vault.save(load.sessions);
    report['sealedAfter'] = isSealed(readFileSync(path));
  } else if (scenario === 'reset') {
    // `latchkey reset` removes the key with the rest.
    await (await open()).vault.save({ studio: session(secret) });
    report['keyBefore'] = keyringItem() !== null;
    const bin = new URL('../../bin/latchkey.js', import.meta.url).pathname;
    const env: NodeJS.ProcessEnv = { ...process.env, LATCHKEY_HOME: home, LATCHKEY_NO_AUTOSTART: '1' };
    delete env['LATCHKEY_KEYRING'];
    const reset = spawnSync(process.execPath, [bin, 'reset', '--yes'], { env, encoding: 'utf8' });
    report['resetCode'] = reset.status;
    report['resetSaid'] = reset.stdout;
    report['keyAfter'] = keyringItem() !== null;
  } else if (scenario === 'agent-status') {
    // `latchkey agent` itself, as a person runs it: it finds the keyring and says so in `status`.
    const bin = new URL('../../bin/latchkey.js', import.meta.url).pathname;
    const env: NodeJS.ProcessEnv = { ...process.env, LATCHKEY_HOME: home, LATCHKEY_NO_AUTOSTART: '1' };
    delete env['LATCHKEY_KEYRING'];
    const agent = startCli(['agent', '--headless'], env);
    await agent.stderrHas('Stop it with');
    const status = spawnSync(process.execPath, [bin, 'status', '--json'], { env, encoding: 'utf8' });
    report['agent'] = (JSON.parse(status.stdout) as { agent: unknown }).agent;
    agent.kill('SIGTERM');
    await agent.done;
  } else if (scenario === 'locked') {
    // The keyring locked (as after a screen lock or a suspend, where it locks itself): the agent
    // that starts then refuses the sealed store, untouched, rather than step down to plaintext.
    await (await open()).vault.save({ studio: session(secret) });
    const bytesBefore = readFileSync(path);
    const lock = spawnSync('dbus-send', ['--session', '--dest=org.freedesktop.secrets', '--type=method_call', '--print-reply', '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock', 'array:objpath:/org/freedesktop/secrets/collection/login'], { encoding: 'utf8' });
    report['locked'] = lock.status === 0 && keyringItem() === null;
    try {
      await open();
      report['opened'] = true;
    } catch (error) {
      report['refusal'] = { code: (error as { code?: string }).code, hint: (error as { hint?: string }).hint };
    }
    report['untouched'] = readFileSync(path).equals(bytesBefore);
  } else if (scenario === 'browser-cookies') {
    // The login browser with its key in the keyring: a real login in Chromium against the lab; the
    // identity provider's cookie stays in the profile for silent renewal, encrypted as `v11`.
    const { ChromiumLoginWindows } = await import('../../core/browser/chromium-login-window.ts');
    const { runLogin } = await import('../../core/login/login-flow.ts');
    const { newSite } = await import('../../core/sites/new-site.ts');
    const { startLab } = await import('../lab/lab.ts');
    const { slottedWindows } = await import('../support/browser-slots.ts');
    const { DatabaseSync } = await import('node:sqlite');
    const lab = await startLab({ autoLogin: 'ada' });
    try {
      const profilesDir = join(home, 'profiles');
      const windows = slottedWindows(new ChromiumLoginWindows({
        profilesDir,
        alwaysHidden: true,
        passwordStore: 'keyring',
        ...(process.env['LATCHKEY_BROWSER'] ? { executablePath: process.env['LATCHKEY_BROWSER'] } : {}),
      }));
      const site = { ...newSite({ url: lab.site.url, preset: 'shotgrid' }, []), id: 'studio' };
      const result = await runLogin({ site, windows, interactive: true });
      report['ending'] = result.ending;
      const db = new DatabaseSync(join(profilesDir, 'studio', 'Default', 'Cookies'), { readOnly: true });
      const rows = db.prepare('SELECT host_key, encrypted_value FROM cookies').all() as Array<{ host_key: string; encrypted_value: Uint8Array }>;
      db.close();
      report['prefixes'] = [...new Set(rows.map((row) => Buffer.from(row.encrypted_value).subarray(0, 3).toString('latin1')))].sort();
      report['idpCookies'] = rows.filter((row) => row.host_key.includes('idp.localhost')).length;
      report['chromiumKey'] = spawnSync('secret-tool', ['search', '--all', 'application', 'chromium'], { encoding: 'utf8' }).stdout.includes('secret =');
    } finally {
      await lab.close();
    }
  } else {
    throw new Error(`no scenario ${scenario}`);
  }
} catch (error) {
  report['error'] = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  report['code'] = (error as { code?: string }).code ?? null;
}
process.stdout.write(JSON.stringify(report) + '\n');
