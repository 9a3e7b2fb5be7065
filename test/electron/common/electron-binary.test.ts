import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../../electron/common/electron-binary.ts';

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
