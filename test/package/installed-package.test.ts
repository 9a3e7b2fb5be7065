import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../core/agent/process-alive.ts';
import { startLab, type Lab } from '../lab/lab.ts';
import { takeBrowserSlot } from '../support/browser-slots.ts';
import { cliEnv } from '../support/live-agent.ts';
import { recordSecret } from '../support/secrets.ts';
import { makeTestHome } from '../support/test-home.ts';

// The package as a user installs it: `npm pack` of this checkout (already built by the test run's
// setup), installed with `npm install --global` into a prefix of its own, and run from there only.
// npm takes the dependencies from its cache when it can (`npm ci` put them there), else from the
// registry, as CI has it.

const root = join(import.meta.dirname, '..', '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without what `npm test` sets for its scripts (npm_*), so the inner npm reads only its own. */
function withoutNpmVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, ...out }));
  });
}

/** A Node older than Latchkey supports, if this machine has one (Debian's is 20). */
async function oldNode(): Promise<string | null> {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(candidate)) continue;
    const major = Number((await run(candidate, ['-p', 'process.versions.node.split(".")[0]'], { cwd: tmpdir(), env: process.env })).stdout.trim());
    if (major > 0 && major < 22) return candidate;
  }
  return null;
}

let work: string;
let prefix: string;
let packed: { filename: string; files: Array<{ path: string }> };
let installed: string;

beforeAll(async () => {
  work = mkdtempSync(join(process.env['LATCHKEY_TEST_RUN_DIR'] ?? tmpdir(), 'package-'));
  prefix = join(work, 'prefix');
  const npmEnv = withoutNpmVariables(process.env);
  // The build is the test run's (global setup): packing must not rebuild under the other tests.
  const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, env: npmEnv });
  if (pack.code !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  [packed] = JSON.parse(pack.stdout) as [typeof packed];
  const install = await run('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(work, packed.filename)], { cwd: work, env: npmEnv });
  if (install.code !== 0) throw new Error(`npm install --global failed: ${install.stderr}`);
  installed = join(prefix, 'lib', 'node_modules', 'latchkey');
}, 600_000);

describe('the packed package', () => {
  it('carries only what runs: the built command line, client library and web UI; no test, lab, build script, source or map', () => {
    const paths = packed.files.map((file) => file.path).sort();
    const allowed = [
      /^(package\.json|README\.md|LICENSE)$/,
      /^bin\/(latchkey\.js|package\.json)$/,
      /^dist\/bin\/([\w-]+\.cjs|package\.json)$/,
      /^dist\/renderer\/(index\.html|favicon\.svg|assets\/[\w.-]+\.(js|css))$/,
      /^dist\/(cli|core)\/[\w/-]+\.(js|d\.ts)$/,
      // npm always packs the file named by `main`, the desktop app's entry, when a build left one.
      /^dist\/electron\/main\.js$/,
    ];
    expect(paths.filter((path) => !allowed.some((pattern) => pattern.test(path)))).toEqual([]);
    expect(paths).toContain('dist/bin/latchkey.cjs');
    expect(paths).toContain('dist/renderer/index.html');
    expect(paths).toContain('dist/cli/client/index.js');
    expect(paths.filter((path) => /(^|\/)(test|lab|engine)(\/|\.)|\.map$|\.ts$(?<!\.d\.ts)/.test(path))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).not.toContain('oidc-provider');
    expect(existsSync(join(installed, 'node_modules', 'oidc-provider'))).toBe(false);
  });
});

describe('latchkey installed from the package', () => {
  let lab: Lab;
  let env: NodeJS.ProcessEnv;
  let elsewhere: string;
  beforeAll(async () => {
    lab = await startLab({ autoLogin: 'ada' });
    elsewhere = join(work, 'elsewhere');
    mkdirSync(elsewhere);
    // The installed command and a Node to run it: nothing of this checkout on the path.
    const path = [join(prefix, 'bin'), dirname(process.execPath), '/usr/bin', '/bin'].join(':');
    env = cliEnv(makeTestHome('installed').dir, { LATCHKEY_NO_AUTOSTART: undefined, PATH: path, NODE_PATH: undefined });
  });
  afterAll(async () => {
    await run('latchkey', ['agent', 'stop'], { cwd: elsewhere, env }).catch(() => undefined);
    await lab?.close();
  });

  it('starts an agent on demand, adds a lab site, logs in with no typing and prints a token', async () => {
    expect(await run('latchkey', ['--version'], { cwd: elsewhere, env })).toMatchObject({ code: 0, stderr: '' });
    const added = await run('latchkey', ['sites', 'add', lab.site.url, '--name', 'Studio'], { cwd: elsewhere, env });
    expect(added.stderr).toMatch(/^Started the Latchkey agent in the background \(pid (\d+)\)/);
    expect(added.code).toBe(0);
    const pid = Number(/\(pid (\d+)\)/.exec(added.stderr)?.[1]);
    expect(isProcessAlive(pid)).toBe(true);

    // The agent's login window is a browser of this run.
    const giveBack = await takeBrowserSlot();
    let token: Run;
    try {
      token = await run('latchkey', ['token', 'Studio'], { cwd: elsewhere, env });
    } finally {
      await giveBack();
    }
    expect(token.code).toBe(0);
    const value = token.stdout.trim();
    recordSecret(value);
    expect(lab.site.issuedSessions()).toContain(value);

    const whoami = await run('latchkey', ['api', 'Studio', '/api/whoami'], { cwd: elsewhere, env });
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ user: 'ada' });
    expect(await run('latchkey', ['agent', 'stop'], { cwd: elsewhere, env })).toMatchObject({ code: 0, stderr: `Stopped the Latchkey agent (pid ${pid}).\n` });
  });

  it('says where the SSO lab is, which the package does not carry', async () => {
    const demo = await run('latchkey', ['demo', '--auto-login', 'ada', '--headless'], { cwd: elsewhere, env });
    expect(demo).toMatchObject({ code: 1, stdout: '' });
    expect(demo.stderr).toBe(
      "latchkey: The SSO lab is not installed: it comes with Latchkey's repository, not with the installed package.\n" +
        'hint: In a clone of the repository: `npm ci`, then `npm run demo`. For a real site: `latchkey sites add https://SITE --preset shotgrid`.\n',
    );
  });

  it('tells an older Node which Node it needs (exit 1, no stack trace)', async (context) => {
    const old = await oldNode();
    if (old === null) {
      console.log('SKIP the installed package under an old Node: no Node older than 22 on this machine');
      context.skip();
      return;
    }
    const result = await run(old, [join(prefix, 'bin', 'latchkey'), 'token'], { cwd: elsewhere, env });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(/^latchkey needs Node\.js 22\.12 or later; this is Node\.js \d+\.\d+\.\d+\.\n$/);
  });
});
