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
