import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where Electron's binary is, or why there is none. */
export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

/**
 * Finds Electron's binary the way the `electron` package does (`path.txt` names it under `dist/`,
 * and `ELECTRON_OVERRIDE_DIST_PATH` replaces that folder), without requiring the package: its
 * index.js downloads the binary when it is missing, and this machine may not reach the network.
 */
export function findElectronBinary(electronPackageDir: string, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const pathFile = join(electronPackageDir, 'path.txt');
  const named = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) {
    const path = join(override, named || 'electron');
    return existsSync(path) ? { found: true, path } : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${path} does not exist` };
  }
  if (named === '') {
    return { found: false, reason: `${pathFile} does not exist: the binary was never downloaded (run \`npx install-electron\` where the network allows it)` };
  }
  const path = join(electronPackageDir, 'dist', named);
  return existsSync(path) ? { found: true, path } : { found: false, reason: `${path} does not exist (run \`npx install-electron\` where the network allows it)` };
}

/** What to do where the binary cannot be fetched: the electron package's own variables. */
export const offlineElectronHint =
  'Offline, point at an Electron you have: ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron/dist (the folder holding the binary), ' +
  'or let the installer use a mirror or a cache that holds it (ELECTRON_MIRROR, electron_config_cache), then run `npm start` again.';

/**
 * Electron's binary, fetched first when it is missing: `npm start` runs the electron package's own
 * installer (its install.js, which honours ELECTRON_MIRROR, the proxy variables and its cache), as
 * loading the package would, but on purpose and with its outcome reported.
 */
export async function ensureElectronBinary(electronPackageDir: string, env: NodeJS.ProcessEnv, options: { stdio: 'inherit' | 'ignore' }): Promise<ElectronBinary> {
  const first = findElectronBinary(electronPackageDir, env);
  if (first.found || env['ELECTRON_OVERRIDE_DIST_PATH']) return first;
  const { spawn } = await import('node:child_process');
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [join(electronPackageDir, 'install.js')], { cwd: electronPackageDir, env, stdio: options.stdio });
    child.once('error', () => resolve(-1));
    child.once('exit', (exit) => resolve(exit ?? -1));
  });
  const after = findElectronBinary(electronPackageDir, env);
  if (after.found) return after;
  return { found: false, reason: code === 0 ? after.reason : `the electron package's installer could not fetch it (exit ${code}). ${offlineElectronHint}` };
}
