import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

// A real Secret Service for a test: GNOME Keyring in a D-Bus session of the test's own (Debian's
// gnome-keyring, dbus and libsecret-tools, installed by .ci/run), started by keyring-session.sh.

const keyringDir = new URL('../keyring/', import.meta.url).pathname;

/** The tools a keyring session needs that this machine lacks (the tests skip, saying so). */
export function keyringToolsMissing(): string[] {
  return ['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
}

/**
 * Runs the Node script `script` with `args` in a fresh D-Bus session and keyring, and returns the
 * JSON object its last line of output holds (its report).
 */
export function inKeyringSession(script: string, args: string[], home: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Record<string, unknown>> {
  // The keyring's own files go under a folder of the test's, never the user's home.
  const userHome = join(home, 'user-home');
  mkdirSync(userHome, { recursive: true });
  const command = ['--config-file', join(keyringDir, 'session-bus.conf'), '--', join(keyringDir, 'keyring-session.sh'), process.execPath, script, ...args];
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: userHome, XDG_DATA_HOME: join(userHome, 'data'), ...extraEnv };
  delete env['XDG_RUNTIME_DIR'];
  delete env['DBUS_SESSION_BUS_ADDRESS'];
  return new Promise((resolve, reject) => {
    const child = spawn('dbus-run-session', command, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as Record<string, unknown>);
      } catch {
        reject(new Error(`${script} ${args[0] ?? ''} exited ${code}: ${out}\n${err}`));
      }
    });
  });
}
