// Builds the React UI (renderer/) with Vite into dist/renderer/, which the desktop app loads and
// the agent serves under /ui/. `npm run build:renderer` runs it; the UI tests call it when the
// build is missing or older than its sources.
import react from '@vitejs/plugin-react';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** The renderer's sources. */
export const rendererSourceDir = fileURLToPath(new URL('./renderer/', import.meta.url));

/** Where the build goes (core/agent/web-ui.ts serves it from here). */
export const rendererBuildDir = fileURLToPath(new URL('./dist/renderer/', import.meta.url));

/** Builds the renderer into `outDir` (default dist/renderer/), replacing what was there only once the build succeeded. */
export async function buildRenderer(outDir = rendererBuildDir): Promise<void> {
  const staging = `${outDir.replace(/\/$/, '')}.${process.pid}.tmp`;
  await build({
    configFile: false,
    root: rendererSourceDir,
    // Relative asset URLs, so the same build works at the agent's /ui/ and from a file in the desktop app.
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir: staging,
      emptyOutDir: true,
      target: 'es2022',
      // The polyfill would be an inline script, which the UI's Content-Security-Policy forbids.
      modulePreload: { polyfill: false },
      reportCompressedSize: false,
    },
  });
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
}

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stat.mtimeMs);
}

/** True when dist/renderer/ is missing or older than a source of the renderer (or this script). */
export function rendererBuildIsStale(outDir = rendererBuildDir): boolean {
  const page = join(outDir, 'index.html');
  if (!existsSync(page)) return true;
  const sources = Math.max(newestChange(rendererSourceDir), statSync(fileURLToPath(import.meta.url)).mtimeMs);
  return statSync(page).mtimeMs < sources;
}

/** Builds the renderer unless its build is current. */
export async function ensureRendererBuilt(): Promise<void> {
  if (rendererBuildIsStale()) await buildRenderer();
}

if (import.meta.main) await buildRenderer();
