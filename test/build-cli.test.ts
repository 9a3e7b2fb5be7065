import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliSourcesFile, type CliBuild, type CliSources } from '../build-cli.ts';

const root = join(import.meta.dirname, '..');
const parent = mkdtempSync(join(tmpdir(), 'latchkey-cli-build-'));
let built: CliBuild;

beforeAll(async () => {
  built = await buildCli(join(parent, 'cli-bundle'));
});

afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** The chunks loaded before any code runs: the entry and what it imports statically. */
function startupChunks(): CliBuild['chunks'] {
  const byName = new Map(built.chunks.map((chunk) => [chunk.fileName, chunk]));
  const entry = built.chunks.find((chunk) => chunk.isEntry);
  const loaded = new Set(entry ? [entry] : []);
  for (const chunk of loaded) {
    for (const name of chunk.imports) {
      const imported = byName.get(name);
      if (imported) loaded.add(imported);
    }
  }
  return [...loaded];
}

describe('buildCli', () => {
  it('loads no npm package, TLS, crypto, engine, browser or lab code before a command runs', () => {
    const chunks = startupChunks();
    const modules = chunks.flatMap((chunk) => chunk.moduleIds);
    const packages = chunks.flatMap((chunk) => chunk.imports).filter((name) => !name.endsWith('.mjs'));
    expect(packages).toEqual([]);
    expect(modules).toContain(join(root, 'cli', 'commands', 'token.ts'));
    const heavy = modules.filter((id) =>
      /\0builtin:node:(https|tls|crypto|zlib)$|[\\/]core[\\/](engine\.ts|agent[\\/]|browser[\\/])|[\\/]test[\\/]lab[\\/]|[\\/]cli[\\/]agent-host\.ts$/.test(id),
    );
    expect(heavy).toEqual([]);
    // …and they are there for the commands that need them, in chunks loaded on demand.
    const lazy = built.chunks.filter((chunk) => !chunks.includes(chunk)).flatMap((chunk) => chunk.moduleIds);
    expect(lazy).toEqual(expect.arrayContaining([join(root, 'core', 'engine.ts'), join(root, 'test', 'lab', 'lab.ts')]));
  });

  it('leaves cli/main.ts, whose top-level await lasts as long as the command, in a chunk no other imports', () => {
    const main = built.chunks.filter((chunk) => chunk.moduleIds.includes(join(root, 'cli', 'main.ts')));
    expect(main.map((chunk) => ({ fileName: chunk.fileName, isEntry: chunk.isEntry }))).toEqual([{ fileName: 'main.mjs', isEntry: true }]);
    expect(built.chunks.filter((chunk) => chunk.imports.includes('main.mjs') || chunk.dynamicImports.includes('main.mjs'))).toEqual([]);
  });

  it('records every file it compiled, itself included, with the mtime and size it had', () => {
    const { sources } = JSON.parse(readFileSync(join(built.outDir, cliSourcesFile), 'utf8')) as CliSources;
    const paths = sources.map(([path]) => path);
    expect(paths).toEqual(expect.arrayContaining(['cli/main.ts', 'core/engine.ts', 'test/lab/site.ts', 'build-cli.ts', 'node_modules/commander/lib/command.js']));
    expect(paths.some((path) => path.startsWith('/') || path.includes('\0'))).toBe(false);
    // Files nobody edits while the tests run (cli/, core/ and the lab may be, by a developer).
    for (const [path, mtimeMs, size] of sources.filter(([path]) => path === 'build-cli.ts' || path.startsWith('node_modules/'))) {
      const stat = statSync(join(root, path));
      expect({ path, mtimeMs, size }).toEqual({ path, mtimeMs: stat.mtimeMs, size: stat.size });
    }
  });

  it('keeps import.meta naming the source file, so paths computed from it resolve as from the sources', () => {
    const code = built.chunks.map((chunk) => readFileSync(join(built.outDir, chunk.fileName), 'utf8')).join('\n');
    const named = [...code.matchAll(/new URL\(("[^"]+"), import\.meta\.url\)/g)].map((match) => join(built.outDir, JSON.parse(match[1] ?? '""') as string));
    // package.json (cli/version.ts), dist/renderer/ (core/agent/web-ui.ts), the lab's TLS fixtures (test/lab/site.ts)
    expect(named).toEqual(expect.arrayContaining(['cli/version.ts', 'core/agent/web-ui.ts', 'test/lab/site.ts'].map((path) => join(root, path))));
    expect(named.filter((path) => !existsSync(path))).toEqual([]);
    // …and no other use of import.meta is left (outside comments).
    const uses = code.split('\n').filter((line) => !/^\s*(\*|\/\/)/.test(line)).join('\n').match(/import\.meta\.\w+/g);
    expect(uses?.length).toBe(named.length);

    const run = spawnSync(process.execPath, [join(built.outDir, 'main.mjs'), '--version'], { encoding: 'utf8' });
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({ status: 0, stdout: version });
  });

  it('builds the quick verbs into one CommonJS file without commander, node:child_process, node:http or the engine', () => {
    const quick = built.chunks.filter((chunk) => chunk.fileName.endsWith('.cjs'));
    expect(quick.map((chunk) => ({ fileName: chunk.fileName, imports: chunk.imports, dynamicImports: chunk.dynamicImports }))).toEqual([
      { fileName: 'quick.cjs', imports: [], dynamicImports: [] },
    ]);
    const modules = quick.flatMap((chunk) => chunk.moduleIds);
    expect(modules).toEqual(expect.arrayContaining(['token.ts', 'get.ts'].map((name) => join(root, 'cli', 'commands', name))));
    const heavy = modules.filter((id) =>
      /commander|\0builtin:node:(child_process|http|https|tls|crypto|zlib)$|[\\/]core[\\/](engine\.ts|agent[\\/]|browser[\\/])|[\\/]cli[\\/]program\.ts$/.test(id),
    );
    expect(heavy).toEqual([]);

    const run = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(built.outDir, 'quick.cjs'))}).runQuick().then((ran) => console.log(ran))`, 'latchkey', 'token'], {
      encoding: 'utf8',
      env: { ...process.env, LATCHKEY_SESSION: 'quick-build-test' },
    });
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: 'quick-build-test\ntrue\n' });
  });

  it('records which sources the quick build was built from: its own, not the whole command line', () => {
    const { sources, quick } = JSON.parse(readFileSync(join(built.outDir, cliSourcesFile), 'utf8')) as CliSources;
    const quickPaths = quick.map((index) => sources[index]?.[0]);
    expect(quickPaths).toEqual(expect.arrayContaining(['cli/quick-main.ts', 'cli/quick-verbs.ts', 'cli/commands/token.ts', 'cli/client/agent-transport.ts', 'build-cli.ts']));
    expect(quickPaths.filter((path) => path === undefined || /^cli\/(main|program)\.ts$|^core\/engine\.ts$|^node_modules\//.test(path))).toEqual([]);
  });
});
