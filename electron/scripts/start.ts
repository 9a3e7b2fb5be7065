// `npm start` runs this after building: it launches Electron on the built app, or says plainly
// why it cannot. The binary is looked up without requiring the `electron` package, whose
// index.js would try to download it (and fail) on a machine without the network.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary } from '../common/electron-binary.ts';

const root = join(import.meta.dirname, '..', '..');
const binary = findElectronBinary(join(root, 'node_modules', 'electron'));
const missingRenderer = !existsSync(join(root, 'dist', 'renderer', 'index.html'));

if (!binary.found) {
  console.error(`Cannot start the Latchkey desktop app: Electron's binary is not installed: ${binary.reason}.`);
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
