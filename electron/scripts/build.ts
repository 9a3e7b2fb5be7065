// `npm run build:electron`: bundles the main process and the preload into dist/electron/.
// The main process is one ES module (Electron loads ESM mains); the preload must be a single
// CommonJS file, since a sandboxed preload can require only Electron's own modules, never a
// sibling file. See https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'rolldown';

const root = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
// Dependencies stay in node_modules, where electron-builder packs them; only our own code is bundled.
const packages = ['electron', ...Object.keys(manifest.dependencies ?? {})];
const isExternal = (id: string): boolean =>
  id.startsWith('node:') || builtinModules.includes(id) || packages.some((name) => id === name || id.startsWith(`${name}/`));

/** Builds `main.js` and `preload.cjs` into `outDir` (dist/electron/, or another folder for the tests). */
export async function buildElectron(outDir = join(root, 'dist', 'electron')): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await build({
    input: join(root, 'electron', 'main.ts'),
    platform: 'node',
    external: isExternal,
    // The engine loads its login flow and its HTTP client with the first login: chunks beside main.js.
    output: { dir: outDir, entryFileNames: 'main.js', chunkFileNames: 'main-[name]-[hash].js', format: 'esm', sourcemap: true },
  });
  await build({
    input: join(root, 'electron', 'preload.ts'),
    platform: 'node',
    external: (id) => id === 'electron',
    output: { file: join(outDir, 'preload.cjs'), format: 'cjs', sourcemap: true },
  });
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
  const outDir = resolve(values['out-dir'] ?? join(root, 'dist', 'electron'));
  await buildElectron(outDir);
  console.log(`Built ${join(outDir, 'main.js')} and ${join(outDir, 'preload.cjs')}.`);
}
