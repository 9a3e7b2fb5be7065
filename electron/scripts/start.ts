// `npm start` runs this after building: it launches Electron on the built app, fetching Electron's
// binary first through the `electron` package's own installer when it is missing, or says plainly
// why it cannot. The package itself is never required (its index.js downloads on load).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { ensureElectronBinary } from '../common/electron-binary.ts';

const root = join(import.meta.dirname, '..', '..');
const binary = await ensureElectronBinary(join(root, 'node_modules', 'electron'), process.env, { stdio: 'inherit' });
const missingRenderer = !existsSync(join(root, 'dist', 'renderer', 'index.html'));

if (!binary.found) {
  console.error(`Cannot start the Latchkey desktop app: Electron's binary is not installed: ${binary.reason.replace(/\.$/, '')}.`);
  console.error('Everything else works without it: `latchkey agent` runs the engine headless, and `latchkey ui` opens its UI in a browser.');
  process.exitCode = 1;
} else {
  if (missingRenderer) console.warn('The renderer is not built (dist/renderer/index.html is missing): the window will be empty. Run `npm run build:renderer`.');
  const child = spawn(binary.path, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? 128 + (signal === null ? 0 : constants.signals[signal]);
  });
}
