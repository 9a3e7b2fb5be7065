#!/usr/bin/env node
// Runs the command line built into dist/cli-bundle/ (by build-cli.ts, at `npm ci` and
// `npm run build`) while every source it was built from is unchanged, else the TypeScript sources
// themselves: an edit to cli/ or core/ takes effect without a rebuild, only slower to start.
// The sources run by Node's own type stripping (Node >= 22.18 strips by default; 22.12 to 22.17
// need the flag, so the command starts itself again with it there).
// CommonJS (bin/package.json), like the quick build it loads first: every millisecond here is paid
// by every `latchkey token` in every script, and an ES module entry costs a few more.
'use strict';
const { readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const root = join(__dirname, '..');
const buildDir = join(root, 'dist', 'cli-bundle');

/** The build's record (see build-cli.ts), or null when there is none or it cannot be read. */
function readBuildRecord() {
  try {
    return JSON.parse(readFileSync(join(buildDir, 'sources.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** True when every listed source still has the mtime and size it had when the build read it. */
function unchanged(sources) {
  // `root/path` rather than join(), which is slower while still cold.
  return sources.every((source) => {
    if (!Array.isArray(source)) return false;
    const [path, mtimeMs, size] = source;
    const stat = statSync(`${root}/${path}`, { throwIfNoEntry: false });
    return stat !== undefined && stat.mtimeMs === mtimeMs && stat.size === size;
  });
}

const build = readBuildRecord();
const sources = Array.isArray(build?.sources) ? build.sources : null;
const quickSources = sources !== null && Array.isArray(build.quick) ? build.quick.map((index) => sources[index]) : null;
const quickVerbs = Array.isArray(build?.quickVerbs) ? build.quickVerbs : [];

/**
 * V8's compile cache (in the OS temp folder): the compiled quick build and TypeScript sources are
 * kept between runs. Not turned on for main.mjs: ES modules gained nothing measurable from it.
 */
function enableCompileCache() {
  require('node:module').enableCompileCache?.();
}

/**
 * Runs `latchkey token` or `latchkey get` (in their plain forms) from the quick build when the
 * sources it was built from are unchanged: a fifth of the files to look at, for the commands that
 * scripts run once per request. Resolves to false when it did not run the command.
 */
function runQuickVerb() {
  if (!quickVerbs.includes(process.argv[2]) || quickSources === null || !unchanged(quickSources)) return Promise.resolve(false);
  enableCompileCache();
  return require(join(buildDir, 'quick.cjs')).runQuick();
}

const signalNumbers = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGKILL: 9 };
const main = join(root, 'cli', 'main.ts');

/** Runs the whole command line: the build while it is current, else the sources. */
async function runWholeCommandLine() {
  if (sources !== null && unchanged(sources)) {
    await import(pathToFileURL(join(buildDir, 'main.mjs')).href);
  } else if (process.features.typescript) {
    enableCompileCache();
    await import(pathToFileURL(main).href);
  } else {
    const { spawn } = require('node:child_process');
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
}

void runQuickVerb().then((ran) => ran || runWholeCommandLine());
