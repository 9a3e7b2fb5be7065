#!/usr/bin/env node
// Runs the command line built into dist/cli-bundle/ (by build-cli.ts, at `npm ci` and
// `npm run build`) while every source it was built from is unchanged, else the TypeScript sources
// themselves: an edit to cli/ or core/ takes effect without a rebuild, only slower to start.
// The sources run by Node's own type stripping (Node >= 22.18 strips by default; 22.12 to 22.17
// need the flag, so the command starts itself again with it there).
// Built-in modules come from process.getBuiltinModule(), and node:child_process only when needed:
// an `import` builds a module's whole namespace (see build-cli.ts), and every millisecond here is
// paid by every command.
const { readFileSync, statSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');
const { pathToFileURL } = process.getBuiltinModule('node:url');

// V8's compile cache (in the OS temp folder) roughly halves start-up for every later run.
process.getBuiltinModule('node:module').enableCompileCache?.();

const root = join(import.meta.dirname, '..');
const buildDir = join(root, 'dist', 'cli-bundle');

/** True when dist/cli-bundle/sources.json exists and every file it lists has the same mtime and size. */
function buildIsCurrent() {
  try {
    const { sources } = JSON.parse(readFileSync(join(buildDir, 'sources.json'), 'utf8'));
    // Some 150 files: `root/path` rather than join(), which is slower while still cold.
    return sources.every(([path, mtimeMs, size]) => {
      const stat = statSync(`${root}/${path}`, { throwIfNoEntry: false });
      return stat !== undefined && stat.mtimeMs === mtimeMs && stat.size === size;
    });
  } catch {
    return false; // no build, or an unreadable record of one
  }
}

const signalNumbers = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGKILL: 9 };
const main = join(root, 'cli', 'main.ts');
if (buildIsCurrent()) {
  await import(pathToFileURL(join(buildDir, 'main.js')).href);
} else if (process.features.typescript) {
  await import(pathToFileURL(main).href);
} else {
  const { spawn } = process.getBuiltinModule('node:child_process');
  const child = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', main, ...process.argv.slice(2)], { stdio: 'inherit' });
  // The child owns the work: Ctrl-C reaches it from the terminal, other signals are passed on,
  // and this process waits to report its exit.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (signal !== 'SIGINT') child.kill(signal);
    });
  }
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 128 + (signalNumbers[signal] ?? 1) : 1);
  });
}
