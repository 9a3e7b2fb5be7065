// Builds the command line into dist/cli-bundle/ (`npm run build`, which `npm ci` runs as
// `prepare`), so that `latchkey` starts without Node's type stripping, from a few files instead of
// some fifty modules: bin/latchkey.js runs this build while it is current and the TypeScript
// sources otherwise (see `cliSourcesFile`). Two builds:
// - quick.cjs: `token` and `get` in their plain forms (cli/quick-verbs.ts), one CommonJS file.
//   Scripts run these once per request; CommonJS loads faster than an ES module graph (no
//   linking, and a built-in is a plain object rather than a namespace).
// - main.mjs: every command, with code splitting keeping what only some need (commander, the
//   engine, Chromium, the lab) in chunks loaded when such a command runs.
// npm packages stay in node_modules, except commander.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { build, type OutputChunk, type Plugin } from 'rolldown';
import { quickVerbNames } from './cli/quick-verbs.ts';

const root = import.meta.dirname;

/** Where the build goes; bin/latchkey.js looks here. */
export const cliBuildDir = join(root, 'dist', 'cli-bundle');

/**
 * The build's record of every file it compiled, as `[path from the package root, mtimeMs, size]`
 * taken before the file was read: bin/latchkey.js runs the build only while every one of them is
 * unchanged, so an edit made without rebuilding (even one made during the build) is never missed.
 */
export const cliSourcesFile = 'sources.json';

/** The shape of `sources.json`. */
export interface CliSources {
  sources: [path: string, mtimeMs: number, size: number][];
  /**
   * Which of `sources` (by index) quick.cjs was built from: bin/latchkey.js runs it once they are
   * unchanged, and main.mjs once all are.
   */
  quick: number[];
  /** The verbs quick.cjs may run (cli/quick-verbs.ts): bin/latchkey.js loads it only for these. */
  quickVerbs: readonly string[];
}

/** What a build made: its chunks, for checks of what each command loads. */
export interface CliBuild {
  outDir: string;
  chunks: { fileName: string; isEntry: boolean; imports: string[]; dynamicImports: string[]; moduleIds: string[] }[];
}

// Bundled because every command but the quick verbs loads them; the other packages load only in the chunks that need them.
const bundledPackages = ['commander'];

const isBuiltin = (id: string): boolean => id.startsWith('node:') || builtinModules.includes(id);
const isPackage = (id: string): boolean => !id.startsWith('.') && !isAbsolute(id) && !id.startsWith('\0');
const builtinPrefix = '\0builtin:';

/**
 * Statically imported built-in modules come from `process.getBuiltinModule()`, not `import`: an
 * ES module namespace for a built-in reads every export, and `node:http`'s include lazy getters
 * (`WebSocket`, …) that load undici — some 50 ms of CPU for a command that only needs
 * `http.request`. Each export becomes a pure read, so unused ones are tree-shaken away. Dynamic
 * imports stay as they are.
 */
function builtinsWithoutNamespaces(): Plugin {
  return {
    name: 'latchkey:builtins-without-namespaces',
    resolveId(source, _importer, options) {
      if (!isBuiltin(source)) return null;
      const name = source.startsWith('node:') ? source : `node:${source}`;
      return options.kind === 'import-statement' ? { id: `${builtinPrefix}${name}`, moduleSideEffects: false } : { id: source, external: true };
    },
    load(id) {
      if (!id.startsWith(builtinPrefix)) return null;
      const name = id.slice(builtinPrefix.length);
      const exports = Object.keys(process.getBuiltinModule(name) ?? {}).filter((key) => /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default');
      return [
        `const builtin = process.getBuiltinModule(${JSON.stringify(name)});`,
        'const read = (key) => builtin[key];',
        'export default builtin;',
        ...exports.map((key, i) => `const e${i} = /* @__PURE__ */ read(${JSON.stringify(key)});\nexport { e${i} as ${key} };`),
      ].join('\n');
    },
  };
}

/**
 * `import.meta.url` (and `dirname`, `filename`) in a bundled source keep naming that source file,
 * so paths computed from them (package.json, dist/renderer/, the lab's TLS fixtures) resolve as
 * when the sources run.
 */
function sourceImportMeta(outDir: string, format: 'esm' | 'cjs'): Plugin {
  return {
    name: 'latchkey:source-import-meta',
    transform: {
      filter: { id: /\.ts$/ },
      handler(code, id) {
        if (!id.startsWith(root + sep) || id.includes(`${sep}node_modules${sep}`)) return null;
        // CommonJS has no import.meta: there the bundle's own URL comes from __filename.
        const base = format === 'esm' ? 'import.meta.url' : 'process.getBuiltinModule("node:url").pathToFileURL(__filename)';
        const url = `new URL(${JSON.stringify(relative(outDir, id).split(sep).join('/'))}, ${base})`;
        const filename = `process.getBuiltinModule("node:url").fileURLToPath(${url})`;
        const forms: Record<string, string> = { url: `${url}.href`, filename, dirname: `process.getBuiltinModule("node:path").dirname(${filename})` };
        const replaced = code.replace(/\bimport\.meta\.(url|filename|dirname)\b/g, (_, key: string) => forms[key] ?? '');
        // Lines stay where they were, so the source map of the unchanged file still holds.
        return replaced === code ? null : { code: replaced, map: null };
      },
    },
  };
}

/**
 * Stats every file the build reads, just before reading it, for `sources.json`: all of them, even
 * one whose code was tree-shaken away, since an edit could make it count.
 */
function recordSources(stats: Map<string, Stats>): Plugin {
  return {
    name: 'latchkey:record-sources',
    load(id) {
      if (!isAbsolute(id)) return null;
      stats.set(id, statSync(id));
      return { code: readFileSync(id, 'utf8') };
    },
  };
}

const external = (id: string): boolean => isPackage(id) && !isBuiltin(id) && !bundledPackages.some((name) => id === name || id.startsWith(`${name}/`));

const chunksOf = (output: (OutputChunk | { type: 'asset' })[]): CliBuild['chunks'] =>
  output
    .filter((item): item is OutputChunk => item.type === 'chunk')
    .map(({ fileName, isEntry, imports, dynamicImports, moduleIds }) => ({ fileName, isEntry, imports, dynamicImports, moduleIds }));

/** Builds cli/main.ts and cli/quick-main.ts into `outDir` (default dist/cli-bundle/), replacing what was there only once the build succeeded. */
export async function buildCli(outDir = cliBuildDir): Promise<CliBuild> {
  const staging = `${outDir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const mainStats = new Map<string, Stats>();
  const entry = join(root, 'cli', 'main.ts');
  const main = await build({
    cwd: root,
    input: { main: entry },
    platform: 'node',
    plugins: [builtinsWithoutNamespaces(), sourceImportMeta(outDir, 'esm'), recordSources(mainStats)],
    external,
    output: {
      dir: staging,
      format: 'esm',
      sourcemap: true,
      // .mjs: Node then knows the format without looking for a package.json.
      entryFileNames: '[name].mjs',
      chunkFileNames: '[name]-[hash].mjs',
      // What the entry loads, in one chunk whichever lazy chunk shares it: fewer files at start-up.
      // Not the entry itself: a lazy chunk importing it would wait on its top-level await for ever.
      codeSplitting: { groups: [{ name: 'startup', tags: ['$initial'], test: (id) => id !== entry }] },
    },
  });
  const quickStats = new Map<string, Stats>();
  const quick = await build({
    cwd: root,
    input: { quick: join(root, 'cli', 'quick-main.ts') },
    platform: 'node',
    plugins: [builtinsWithoutNamespaces(), sourceImportMeta(outDir, 'cjs'), recordSources(quickStats)],
    external,
    // Minified (names kept, for messages and stack traces): half the bytes for V8 to read on
    // every `latchkey token`.
    output: { dir: staging, format: 'cjs', sourcemap: true, entryFileNames: '[name].cjs', codeSplitting: false, minify: true, keepNames: true },
  });
  const chunks = [...chunksOf(main.output), ...chunksOf(quick.output)];
  const facades = chunks.flatMap((chunk) => chunk.imports.filter(isBuiltin));
  if (facades.length > 0) throw new Error(`The CLI build imports built-in modules as namespaces: ${facades.join(', ')}.`);
  if (chunks.filter((chunk) => chunk.fileName.endsWith('.cjs')).length !== 1) throw new Error('quick.cjs must be one file: something it imports loads a chunk.');

  const changed = [...quickStats].filter(([id, stat]) => {
    const first = mainStats.get(id);
    return first !== undefined && (first.mtimeMs !== stat.mtimeMs || first.size !== stat.size);
  });
  if (changed.length > 0) throw new Error(`Sources changed while the command line was being built (${changed.map(([id]) => relative(root, id)).join(', ')}): build again.`);
  const recorded = [...new Map([...mainStats, ...quickStats, [import.meta.filename, statSync(import.meta.filename)]])];
  const sources: CliSources = {
    sources: recorded.map(([id, stat]) => [relative(root, id).split(sep).join('/'), stat.mtimeMs, stat.size]),
    quick: recorded.flatMap(([id], index) => (quickStats.has(id) || id === import.meta.filename ? [index] : [])),
    quickVerbs: quickVerbNames,
  };
  writeFileSync(join(staging, cliSourcesFile), JSON.stringify(sources));
  mkdirSync(dirname(outDir), { recursive: true });
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
  return { outDir, chunks };
}

if (import.meta.main) {
  const { chunks } = await buildCli();
  console.log(`Built ${relative(root, cliBuildDir)}/ (${chunks.length} chunks).`);
}
