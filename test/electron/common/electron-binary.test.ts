import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureElectronBinary, findElectronBinary } from '../../../electron/common/electron-binary.ts';

function packageDir(pathTxt: string | null, binary: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-electron-pkg-'));
  if (pathTxt !== null) writeFileSync(join(dir, 'path.txt'), pathTxt);
  if (binary !== null) {
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'dist', binary), '');
  }
  return dir;
}

describe('findElectronBinary', () => {
  it('finds the binary that path.txt names under dist/', () => {
    const dir = packageDir('electron', 'electron');
    expect(findElectronBinary(dir, {})).toEqual({ found: true, path: join(dir, 'dist', 'electron') });
  });

  it('reports a package whose binary was never downloaded', () => {
    const result = findElectronBinary(packageDir(null, null), {});
    expect(result.found).toBe(false);
    if (!result.found) expect(result.reason).toContain('path.txt does not exist');
  });

  it('reports a path.txt whose binary is missing', () => {
    const dir = packageDir('electron', null);
    const result = findElectronBinary(dir, {});
    expect(result.found).toBe(false);
    if (!result.found) expect(result.reason).toContain(join(dir, 'dist', 'electron'));
  });

  it('uses ELECTRON_OVERRIDE_DIST_PATH instead of dist/', () => {
    const override = mkdtempSync(join(tmpdir(), 'latchkey-electron-dist-'));
    writeFileSync(join(override, 'electron'), '');
    expect(findElectronBinary(packageDir(null, null), { ELECTRON_OVERRIDE_DIST_PATH: override })).toEqual({ found: true, path: join(override, 'electron') });
  });

  it('reports an override folder without the binary', () => {
    const override = mkdtempSync(join(tmpdir(), 'latchkey-electron-dist-'));
    const result = findElectronBinary(packageDir('electron', 'electron'), { ELECTRON_OVERRIDE_DIST_PATH: override });
    expect(result.found).toBe(false);
    if (!result.found) expect(result.reason).toContain('ELECTRON_OVERRIDE_DIST_PATH');
  });
});

describe('ensureElectronBinary (npm start on a fresh clone)', () => {
  const electron = join(import.meta.dirname, '..', '..', '..', 'node_modules', 'electron');

  /** The electron package's own installer files, without a binary, in a folder of their own. */
  function packageWithoutBinary(): string {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-electron-fresh-'));
    for (const file of ['install.js', 'package.json', 'checksums.json']) copyFileSync(join(electron, file), join(dir, file));
    return dir;
  }

  it('runs the package\'s installer when the binary is missing, and says what to do when it cannot fetch it', async () => {
    const dir = packageWithoutBinary();
    const cache = mkdtempSync(join(tmpdir(), 'latchkey-electron-cache-'));
    // Nothing listens on port 1: the installer fails as it does offline, without touching the network.
    const env = { ...process.env, NODE_PATH: join(electron, '..'), ELECTRON_MIRROR: 'http://127.0.0.1:1/', electron_config_cache: cache, ELECTRON_OVERRIDE_DIST_PATH: '' };
    const result = await ensureElectronBinary(dir, env, { stdio: 'ignore' });
    expect(result.found).toBe(false);
    if (!result.found) {
      expect(result.reason).toMatch(/^the electron package's installer could not fetch it \(exit [1-9]\d*\)\. Offline, point at an Electron you have: ELECTRON_OVERRIDE_DIST_PATH=/);
    }
    expect(existsSync(join(dir, 'path.txt'))).toBe(false);
  });

  it('leaves a binary that is there alone, and never runs an installer for an override', async () => {
    const installed = packageDir('electron', 'electron');
    writeFileSync(join(installed, 'install.js'), 'process.exit(99);\n');
    expect(await ensureElectronBinary(installed, {}, { stdio: 'ignore' })).toEqual({ found: true, path: join(installed, 'dist', 'electron') });
    const overridden = packageWithoutBinary();
    writeFileSync(join(overridden, 'install.js'), 'require("fs").writeFileSync(__dirname + "/ran", "");\n');
    const result = await ensureElectronBinary(overridden, { ELECTRON_OVERRIDE_DIST_PATH: mkdtempSync(join(tmpdir(), 'latchkey-electron-none-')) }, { stdio: 'ignore' });
    expect(result.found).toBe(false);
    expect(existsSync(join(overridden, 'ran'))).toBe(false);
  });
});
