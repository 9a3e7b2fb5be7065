import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'latchkey.js');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const copies: string[] = [];

afterAll(() => {
  for (const copy of copies) rmSync(copy, { recursive: true, force: true });
});

function run(node: string, args: string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(node, args, { encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A Node older than Latchkey supports, if this machine has one (Debian's is 20). */
function oldNode(): string | null {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(candidate)) continue;
    const major = Number(run(candidate, ['-p', 'process.versions.node.split(".")[0]']).stdout.trim());
    if (major > 0 && major < 22) return candidate;
  }
  return null;
}

describe('bin/latchkey.js', () => {
  it('runs the built command line (dist/bin/latchkey.cjs)', () => {
    expect(run(process.execPath, [bin, '--version'])).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('says which command to run when the command line is not built, without a stack trace', () => {
    const copy = mkdtempSync(join(tmpdir(), 'latchkey-bin-'));
    copies.push(copy);
    cpSync(join(root, 'bin'), join(copy, 'bin'), { recursive: true });
    const result = run(process.execPath, [join(copy, 'bin', 'latchkey.js'), 'status']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`latchkey: the command line is not built: run \`npm run build\` in ${copy}.\n`);
  });

  const old = oldNode();
  if (old === null) console.log('SKIP the old-Node test: no Node older than 22 on this machine');
  it.skipIf(old === null)('tells an older Node which Node it needs (exit 1, no stack trace)', () => {
    const result = run(old ?? '', [bin, 'token']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^latchkey needs Node\.js 22\.12 or later; this is Node\.js \d+\.\d+\.\d+\.\n$/);
  });

  it('loads for `latchkey token` none of the engine, the browser driver or the lab', () => {
    const hook = join(mkdtempSync(join(tmpdir(), 'latchkey-bin-hook-')), 'hook.cjs');
    copies.push(join(hook, '..'));
    // Prints, at exit, every file of this package the process loaded.
    cpSync(join(import.meta.dirname, 'fixtures', 'loaded-files.cjs'), hook);
    const result = run(process.execPath, ['--require', hook, bin, 'token'], { ...process.env, LATCHKEY_SESSION: 'bin-test-session', LATCHKEY_HOME: join(tmpdir(), 'latchkey-no-home') });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('bin-test-session\n');
    const loaded = result.stderr.trim().split('\n').map((path) => path.replace(root + '/', ''));
    const chunks = readdirSync(join(root, 'dist', 'bin')).filter((name) => name.endsWith('.cjs'));
    expect(loaded.every((path) => path.startsWith('bin/') || path.startsWith('dist/bin/'))).toBe(true);
    expect(loaded.map((path) => path.replace(/-[\w-]{8}\.cjs$/, '.cjs')).sort()).toEqual(['bin/latchkey.js', 'dist/bin/client.cjs', 'dist/bin/latchkey.cjs', 'dist/bin/rolldown-runtime.cjs', 'dist/bin/startup.cjs', 'dist/bin/token.cjs']);
    expect(chunks.length).toBeGreaterThan(loaded.length);
  });
});
