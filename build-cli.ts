// Builds the command line into dist/bin/ (`npm run build`, which `npm ci` runs as `prepare`, and
// the test run's global setup): one CommonJS entry, `latchkey.cjs`, that reads the arguments and
// loads the module of the verb being run, each verb in a chunk of its own, so `latchkey token`
// loads the client and nothing of the engine, the browser driver or the lab. CommonJS because it
// starts faster than an ES module graph (no linking); minified, with names kept for messages,
// because V8 reads every byte of it at every start. npm packages stay in node_modules.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { build, type OutputChunk, type Plugin } from 'rolldown';

const root = import.meta.dirname;

/** Where the build goes; bin/latchkey.js runs `latchkey.cjs` from here. */
export const cliBuildDir = join(root, 'dist', 'bin');

/** What a build made: its chunks, for checks of what each command loads. */
export interface CliBuild {
  outDir: string;
  chunks: { fileName: string; isEntry: boolean; imports: string[]; dynamicImports: string[]; moduleIds: string[] }[];
}

const isBuiltin = (id: string): boolean => id.startsWith('node:') || builtinModules.includes(id);
const isPackage = (id: string): boolean => !id.startsWith('.') && !isAbsolute(id) && !id.startsWith('\0');

/**
 * `import.meta.url` (and `dirname`, `filename`) in a bundled source keep naming that source file,
 * so paths computed from them (dist/renderer/, the lab's TLS fixtures) resolve as when the sources
 * run. CommonJS has no import.meta: the bundle's own URL comes from __filename.
 */
function sourceImportMeta(outDir: string): Plugin {
  return {
    name: 'latchkey:source-import-meta',
    transform: {
      filter: { id: /\.ts$/ },
      handler(code, id) {
        if (!id.startsWith(root + sep) || id.includes(`${sep}node_modules${sep}`)) return null;
        const base = 'process.getBuiltinModule("node:url").pathToFileURL(__filename)';
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

// What most client verbs load: one chunk of them rather than one per module. A module only one or
// two verbs use (the site request of `api`, the private file of `get`) stays with its verb, so that
// `latchkey token` never loads node:http or node:fs/promises.
const clientModules = new Set([
  'core/clock.ts',
  'core/home.ts',
  'core/secrets.ts',
  'core/sites/site-lookup.ts',
  'core/sites/site-url.ts',
  ...['acquire-session', 'arguments', 'command', 'deps', 'dispatch', 'env-session', 'exit-codes', 'help', 'home-sites', 'interrupted', 'print-error', 'session-flags', 'site-text', 'verbs', 'version'].map((name) => `cli/${name}.ts`),
]);

/** A module of the command line's shared client side: the list above, the client library and the contract. */
function clientModule(id: string): boolean {
  const path = relative(root, id).split(sep).join('/');
  return path.startsWith('cli/client/') || path.startsWith('core/common/') || clientModules.has(path);
}

const chunksOf = (output: (OutputChunk | { type: 'asset' })[]): CliBuild['chunks'] =>
  output
    .filter((item): item is OutputChunk => item.type === 'chunk')
    .map(({ fileName, isEntry, imports, dynamicImports, moduleIds }) => ({ fileName, isEntry, imports, dynamicImports, moduleIds }));

/** Builds cli/main.ts into `outDir` (default dist/bin/), replacing what was there only once the build succeeded. */
export async function buildCli(outDir = cliBuildDir): Promise<CliBuild> {
  const staging = `${outDir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const result = await build({
    cwd: root,
    input: { latchkey: join(root, 'cli', 'main.ts') },
    platform: 'node',
    plugins: [sourceImportMeta(outDir)],
    external: (id) => isBuiltin(id) || isPackage(id),
    transform: { define: { LATCHKEY_VERSION: JSON.stringify(version) } },
    output: {
      dir: staging,
      format: 'cjs',
      sourcemap: true,
      entryFileNames: '[name].cjs',
      chunkFileNames: '[name]-[hash].cjs',
      minify: true,
      keepNames: true,
      codeSplitting: {
        groups: [
          // What every command loads, with the entry: its own chunk, since the verbs import it too.
          { name: 'startup', tags: ['$initial'] },
          // What the client verbs share (arguments, the agent client, the contract): one chunk
          // rather than one per module. Each verb's own module stays a chunk of its own.
          { name: 'client', test: clientModule },
        ],
      },
    },
  });
  const chunks = chunksOf(result.output);
  // `__toESM(require("node:http"))` would read every export of the built-in, and node:http's
  // include lazy getters that load undici: some 50 ms for a command that needs `request` only.
  for (const chunk of result.output.filter((item): item is OutputChunk => item.type === 'chunk')) {
    if (/__toESM\(require\("node:/.test(chunk.code)) throw new Error(`${chunk.fileName} imports a built-in module as a namespace; import named exports instead.`);
  }
  writeFileSync(join(staging, 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
  mkdirSync(dirname(outDir), { recursive: true });
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
  return { outDir, chunks };
}

if (import.meta.main) {
  const { chunks } = await buildCli();
  console.log(`Built ${relative(root, cliBuildDir)}/ (${chunks.length} chunks).`);
}
