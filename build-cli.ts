// Builds the command line into dist/bin/ (`npm run build`, which `npm ci` runs as `prepare`, and
// the test run's global setup):
// - latchkey.cjs: one CommonJS entry that reads the arguments and loads the module of the verb
//   being run, each verb in a chunk of its own; the engine (for `latchkey agent` and `demo`) is a
//   chunk that no client verb loads, and within it the browser driver and the login flow are
//   loaded with the first login. CommonJS because it starts faster than an ES module graph (no
//   linking); minified, with names kept for messages, because V8 reads every byte at every start.
// - engine/lab.mjs: the SSO lab for `latchkey demo`, as an ES module loaded with a native import():
//   its OpenID Provider package is an ES module whose default export a CommonJS bundle cannot take.
// npm packages stay in node_modules, but for the few bundled below.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { build, type OutputChunk, type Plugin, type RolldownOutput } from 'rolldown';

const root = import.meta.dirname;

/** Where the build goes; bin/latchkey.js runs `latchkey.cjs` from here. */
export const cliBuildDir = join(root, 'dist', 'bin');

/** What is built as ES modules into `engine/`, by the name of its file there. */
const engineEntries: Readonly<Record<string, string>> = {
  lab: join(root, 'test', 'lab', 'lab.ts'),
};

/** What a build made: its chunks, for checks of what each command loads. */
export interface CliBuild {
  outDir: string;
  chunks: { fileName: string; isEntry: boolean; imports: string[]; dynamicImports: string[]; moduleIds: string[] }[];
}

const isBuiltin = (id: string): boolean => id.startsWith('node:') || builtinModules.includes(id);
const isPackage = (id: string): boolean => !id.startsWith('.') && !isAbsolute(id) && !id.startsWith('\0');
const builtinPrefix = '\0builtin:';

// Bundled rather than loaded from node_modules: an agent loads only the parts of them it uses, and
// the first package a process loads from node_modules costs it some 2 MB of memory on its own
// (`npm run bench` prints the idle agent's).
const bundledPackages = ['zod'];
const isBundled = (id: string): boolean => bundledPackages.some((name) => id === name || id.startsWith(`${name}/`));

// What most client verbs load: one chunk of them rather than one per module. A module only one or
// two verbs use (the site request of `api`, the private file of `get`) stays with its verb, so that
// `latchkey token` never loads node:http or node:fs/promises.
const clientModules = new Set([
  'core/clock.ts',
  'core/home.ts',
  'core/secrets.ts',
  'core/sites/site-lookup.ts',
  'core/sites/site-url.ts',
  ...['acquire-session', 'agent-connection', 'arguments', 'command', 'deps', 'dispatch', 'env-session', 'exit-codes', 'interrupted', 'print-error', 'session-flags', 'verbs', 'version'].map((name) => `cli/${name}.ts`),
]);

// Pieces of core/ that single verbs use: `api` calls the site with the engine's HTTP call, through
// the proxy the environment or the system's settings name; starting and stopping an agent check
// whether a process lives.
const helperModules = new Set(['core/sessions/session-url.ts', 'core/net/http-call.ts', 'core/net/proxy-config.ts', 'core/net/proxy-router.ts', 'core/net/pac-proxy.ts', 'core/net/system-proxy.ts', 'core/net/trust-store.ts', 'core/net/tls-failure.ts', 'core/net/loopback-lookup.ts', 'core/agent/process-alive.ts']);

// The contract's modules that the client side uses; the presets and profile fields are for the
// verbs that add or edit sites, and stay with them.
const contractModules = new Set(['errors', 'operations', 'request', 'discovery', 'display-text'].map((name) => `core/common/${name}.ts`));

/** A module of the command line's shared client side: the lists above and the client library. */
function clientModule(id: string): boolean {
  const path = relative(root, id).split(sep).join('/');
  return path.startsWith('cli/client/') || contractModules.has(path) || clientModules.has(path);
}

/**
 * `import.meta.url` (and `dirname`, `filename`) in a bundled source keep naming that source file,
 * so paths computed from them (dist/renderer/, the lab's TLS fixtures) resolve as when the sources
 * run. CommonJS has no import.meta: there the bundle's own URL comes from __filename.
 */
function sourceImportMeta(outDir: string, format: 'esm' | 'cjs'): Plugin {
  return {
    name: 'latchkey:source-import-meta',
    transform: {
      filter: { id: /\.ts$/ },
      handler(code, id) {
        if (!id.startsWith(root + sep) || id.includes(`${sep}node_modules${sep}`)) return null;
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
 * In the ES module engine, statically imported built-in modules come from
 * `process.getBuiltinModule()`, not `import`: an ES module namespace of a built-in reads every
 * export, and `node:http`'s include lazy getters (`WebSocket`, …) that load undici, which an idle
 * agent would then hold for nothing. Each export becomes a pure read, so unused ones are
 * tree-shaken away. Dynamic imports stay as they are.
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

const chunksOf = (output: RolldownOutput['output']): CliBuild['chunks'] =>
  output
    .filter((item): item is OutputChunk => item.type === 'chunk')
    .map(({ fileName, isEntry, imports, dynamicImports, moduleIds }) => ({ fileName, isEntry, imports, dynamicImports, moduleIds }));

/** latchkey.cjs and a chunk per verb; the ES module entries are left to import() from engine/. */
async function buildCommandLine(staging: string, outDir: string, version: string): Promise<RolldownOutput> {
  const engineFiles = new Map(Object.entries(engineEntries).map(([name, path]) => [path, `./engine/${name}.mjs`]));
  const result = await build({
    cwd: root,
    input: { latchkey: join(root, 'cli', 'main.ts') },
    platform: 'node',
    plugins: [sourceImportMeta(outDir, 'cjs')],
    external: (id) => isBuiltin(id) || (isPackage(id) && !isBundled(id)) || engineFiles.has(id),
    transform: { define: { LATCHKEY_VERSION: JSON.stringify(version) } },
    output: {
      dir: staging,
      format: 'cjs',
      sourcemap: true,
      entryFileNames: '[name].cjs',
      chunkFileNames: '[name]-[hash].cjs',
      minify: true,
      keepNames: true,
      paths: (id) => engineFiles.get(id) ?? id,
      codeSplitting: {
        groups: [
          // What every command loads, with the entry: its own chunk, since the verbs import it too.
          { name: 'startup', tags: ['$initial'] },
          { name: 'client', test: clientModule },
        ],
      },
    },
  });
  const chunks = result.output.filter((item): item is OutputChunk => item.type === 'chunk');
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const closure = (chunk: OutputChunk, seen = new Set<OutputChunk>()): Set<OutputChunk> => {
    if (seen.has(chunk)) return seen;
    seen.add(chunk);
    for (const name of chunk.imports) {
      const next = byName.get(name);
      if (next !== undefined) closure(next, seen);
    }
    return seen;
  };
  for (const chunk of chunks) {
    // `__toESM(require("node:http"))` would read every export of the built-in, and node:http's
    // include lazy getters that load undici: some 50 ms for a command that needs `request` only.
    if (/__toESM\(require\("node:/.test(chunk.code)) throw new Error(`${chunk.fileName} imports a built-in module as a namespace; import named exports instead.`);
    // A client verb never loads the engine: only `agent` and `demo` may, and `doctor`, which starts the login browser once.
    const verb = chunk.moduleIds.map((id) => relative(root, id).split(sep).join('/')).find((path) => path.startsWith('cli/commands/'));
    if (verb === undefined || verb === 'cli/commands/agent.ts' || verb === 'cli/commands/demo.ts' || verb === 'cli/commands/doctor.ts') continue;
    const engine = [...closure(chunk)].flatMap((loaded) => loaded.moduleIds).filter((id) => relative(root, id).startsWith(`core${sep}`) && !relative(root, id).startsWith(`core${sep}common${sep}`) && !clientModule(id) && !helperModules.has(relative(root, id).split(sep).join('/')));
    if (engine.length > 0) throw new Error(`${verb} would load engine modules: ${engine.map((id) => relative(root, id)).join(', ')}.`);
  }
  return result;
}

/** The ES module entries (the lab), with their shared chunks. */
async function buildModules(staging: string, outDir: string): Promise<RolldownOutput> {
  return build({
    cwd: root,
    input: engineEntries,
    platform: 'node',
    plugins: [builtinsWithoutNamespaces(), sourceImportMeta(join(outDir, 'engine'), 'esm')],
    external: (id) => isPackage(id) && !isBuiltin(id) && !isBundled(id),
    output: {
      dir: join(staging, 'engine'),
      format: 'esm',
      sourcemap: true,
      minify: true,
      keepNames: true,
      entryFileNames: '[name].mjs',
      chunkFileNames: '[name]-[hash].mjs',
    },
  });
}

/** Builds the command line into `outDir` (default dist/bin/), replacing what was there only once the build succeeded. */
export async function buildCli(outDir = cliBuildDir): Promise<CliBuild> {
  const staging = `${outDir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const [client, engine] = await Promise.all([buildCommandLine(staging, outDir, version), buildModules(staging, outDir)]);
  writeFileSync(join(staging, 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
  mkdirSync(dirname(outDir), { recursive: true });
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
  return { outDir, chunks: [...chunksOf(client.output), ...chunksOf(engine.output).map((chunk) => ({ ...chunk, fileName: `engine/${chunk.fileName}` }))] };
}

if (import.meta.main) {
  const { chunks } = await buildCli();
  console.log(`Built ${relative(root, cliBuildDir)}/ (${chunks.length} chunks).`);
}
