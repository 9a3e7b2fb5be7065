import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { uiOperationNames } from '../../../core/common/operations.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const outDir = mkdtempSync(join(tmpdir(), 'latchkey-electron-build-'));

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'electron', 'scripts', 'build.ts'), '--out-dir', outDir], { cwd: root, stdio: 'pipe' });
});

interface Exposed {
  key: string;
  api: Record<string, (...args: unknown[]) => unknown>;
}

/** Runs the built preload as a sandboxed preload runs: CommonJS, with only `electron` to require, here a recording fake. */
function runPreload(): { exposed: Exposed[]; invoked: unknown[][]; listeners: Map<string, (...args: unknown[]) => void>; required: string[] } {
  const exposed: Exposed[] = [];
  const invoked: unknown[][] = [];
  const listeners = new Map<string, (...args: unknown[]) => void>();
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Exposed['api']) => exposed.push({ key, api }) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return { ok: true, value: 'answered' };
      },
      on: (channel: string, listener: (...args: unknown[]) => void) => listeners.set(channel, listener),
      removeListener: (channel: string) => listeners.delete(channel),
    },
  };
  const code = readFileSync(join(outDir, 'preload.cjs'), 'utf8');
  const fakeRequire = (name: string): unknown => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  new Function('require', 'module', 'exports', code)(fakeRequire, { exports: {} }, {});
  return { exposed, invoked, listeners, required };
}

describe('the preload bundle', () => {
  it('requires nothing but electron, as a sandboxed preload must', () => {
    expect(runPreload().required).toEqual(['electron']);
  });

  it('exposes exactly the Bridge, call and onEvent, as window.latchkey', () => {
    const { exposed } = runPreload();
    expect(exposed.map((entry) => entry.key)).toEqual(['latchkey']);
    expect(Object.keys(exposed[0]?.api ?? {}).sort()).toEqual(['call', 'onEvent']);
  });

  it('sends each UI operation on its own channel', async () => {
    const { exposed, invoked } = runPreload();
    const call = exposed[0]?.api['call'];
    for (const name of uiOperationNames) expect(await call?.(name, { id: 'x' })).toEqual({ ok: true, value: 'answered' });
    expect(invoked).toEqual(uiOperationNames.map((name) => [`latchkey:op:${name}`, { id: 'x' }]));
  });

  it('refuses getSession and unknown names without sending anything', async () => {
    const { exposed, invoked } = runPreload();
    const call = exposed[0]?.api['call'];
    for (const name of ['getSession', 'toString', '__proto__', 'latchkey:event']) {
      expect(await call?.(name, {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    expect(invoked).toEqual([]);
  });

  it('passes engine events to the listener until it unsubscribes', () => {
    const { exposed, listeners } = runPreload();
    const events: unknown[] = [];
    const unsubscribe = exposed[0]?.api['onEvent']?.((event: unknown) => events.push(event)) as () => void;
    listeners.get('latchkey:event')?.({ sender: 'ipc' }, { type: 'sites', sites: [] });
    expect(events).toEqual([{ type: 'sites', sites: [] }]);
    unsubscribe();
    expect(listeners.has('latchkey:event')).toBe(false);
  });
});

describe('the main process bundle', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };

  it('is where package.json says Electron starts', () => {
    expect(manifest.main).toBe('dist/electron/main.js');
  });

  it('imports only Electron, Node built-ins and production dependencies, which a packaged app has', () => {
    const code = readFileSync(join(outDir, 'main.js'), 'utf8');
    const specifiers = [...code.matchAll(/^import\s[^'"]*?from\s+"([^"]+)";?$/gm)].map((match) => match[1] as string);
    expect(specifiers).toContain('electron');
    const allowed = (name: string): boolean =>
      name === 'electron' || name.startsWith('node:') || builtinModules.includes(name) || Object.keys(manifest.dependencies).some((dep) => name === dep || name.startsWith(`${dep}/`));
    expect(specifiers.filter((name) => !allowed(name))).toEqual([]);
    expect(code).not.toMatch(/\brequire\(/);
  });
});
