import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// bin/latchkey.js chooses between the build and the sources by looking at files, so it runs here
// in a copy of the package: touching the copy's sources disturbs no other test.
const root = join(import.meta.dirname, '..', '..');
const copy = mkdtempSync(join(tmpdir(), 'latchkey-bin-'));
const marker = '[ran the build]';
const quickMarker = '[ran the quick build]';
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

function latchkey(...args: string[]): { status: number | null; stdout: string; ranTheBuild: boolean } {
  const run = spawnSync(process.execPath, [join(copy, 'bin', 'latchkey.js'), ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout.trim(), ranTheBuild: run.stderr.includes(marker) };
}

// A session from the environment: `latchkey token` needs no agent then.
const sessionEnv = { ...process.env, LATCHKEY_SESSION: 'bin-test-session', LATCHKEY_HOME: join(copy, 'no-home') };

/** `latchkey token` with a session from the environment, and which build (if any) ran it. */
function token(...args: string[]): { status: number | null; stdout: string; ran: 'quick' | 'build' | 'sources' } {
  const run = spawnSync(process.execPath, [join(copy, 'bin', 'latchkey.js'), 'token', ...args], { encoding: 'utf8', env: sessionEnv });
  // The quick build is loaded first in any case; the whole build only when the quick one declines.
  const ran = run.stderr.includes(marker) ? 'build' : run.stderr.includes(quickMarker) ? 'quick' : 'sources';
  return { status: run.status, stdout: run.stdout.trim(), ran };
}

/** Builds the copy, and marks the build so that a run of it shows in the output. */
function build(): void {
  const run = spawnSync(process.execPath, [join(copy, 'build-cli.ts')], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  appendFileSync(join(copy, 'dist', 'cli-bundle', 'main.mjs'), `\nprocess.stderr.write(${JSON.stringify(marker)});\n`);
  appendFileSync(join(copy, 'dist', 'cli-bundle', 'quick.cjs'), `\nprocess.stderr.write(${JSON.stringify(quickMarker)});\n`);
  expect(latchkey('--version')).toEqual({ status: 0, stdout: version, ranTheBuild: true });
  expect(token()).toEqual({ status: 0, stdout: 'bin-test-session', ran: 'quick' });
}

beforeAll(() => {
  for (const path of ['bin', 'cli', 'core', join('test', 'lab'), 'build-cli.ts', 'package.json']) {
    cpSync(join(root, path), join(copy, path), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  build();
}, 60_000);

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('bin/latchkey.js', () => {
  it('runs the build while every source it was built from is unchanged', () => {
    expect(latchkey('--version')).toEqual({ status: 0, stdout: version, ranTheBuild: true });
  });

  it('loads the chunks of a command that needs the engine from the build: `latchkey agent`', async () => {
    const home = join(copy, 'home');
    const agent = spawn(process.execPath, [join(copy, 'bin', 'latchkey.js'), 'agent', '--headless'], { env: { ...process.env, LATCHKEY_HOME: home } });
    let stderr = '';
    agent.stderr.on('data', (chunk: Buffer) => {
      const started = stderr.includes('Stop it with Ctrl-C.');
      stderr += chunk.toString('utf8');
      if (!started && stderr.includes('Stop it with Ctrl-C.')) agent.kill('SIGTERM');
    });
    const code = await new Promise<number | null>((resolve) => agent.once('close', resolve));
    expect({ code, ranTheBuild: stderr.includes(marker), stopped: stderr.includes('Agent stopped.') }).toEqual({ code: 0, ranTheBuild: true, stopped: true });
  });

  it('runs the sources while a file the build compiled is missing, and the build again once it is back', () => {
    const engine = join(copy, 'core', 'engine.ts');
    renameSync(engine, `${engine}.moved`);
    try {
      expect(latchkey('--version')).toEqual({ status: 0, stdout: version, ranTheBuild: false });
    } finally {
      renameSync(`${engine}.moved`, engine);
    }
    expect(latchkey('--version')).toEqual({ status: 0, stdout: version, ranTheBuild: true });
  });

  it('runs the sources when the record of the build cannot be read', () => {
    const record = join(copy, 'dist', 'cli-bundle', 'sources.json');
    const saved = readFileSync(record);
    writeFileSync(record, '{"sources":');
    try {
      expect(latchkey('--version')).toEqual({ status: 0, stdout: version, ranTheBuild: false });
    } finally {
      writeFileSync(record, saved);
    }
    expect(latchkey('--version')).toEqual({ status: 0, stdout: version, ranTheBuild: true });
  });

  it('runs the sources once one of them is edited, without a rebuild', () => {
    build();
    // An edit a stale build would not show: the program's description in `latchkey --help`.
    const program = join(copy, 'cli', 'program.ts');
    writeFileSync(program, readFileSync(program, 'utf8').replace('Log in once through single sign-on', 'Edited since the build'));
    const edited = latchkey('--help');
    expect({ status: edited.status, ranTheBuild: edited.ranTheBuild }).toEqual({ status: 0, ranTheBuild: false });
    expect(edited.stdout).toContain('Edited since the build');
  });

  it('runs the sources when a source only has a new mtime (a checkout, a touch)', () => {
    build();
    const errors = join(copy, 'core', 'errors.ts');
    utimesSync(errors, new Date(), new Date());
    expect(latchkey('--version')).toEqual({ status: 0, stdout: version, ranTheBuild: false });
  });

  it('runs `token` from the quick build, and its help (which needs commander) from the whole build', () => {
    build();
    expect(token('--no-prompt')).toEqual({ status: 0, stdout: 'bin-test-session', ran: 'quick' });
    const help = token('--help');
    expect({ status: help.status, ran: help.ran }).toEqual({ status: 0, ran: 'build' });
    expect(help.stdout).toContain('Usage: latchkey token');
  });

  it('keeps running `token` from the quick build when only a source it does not load is edited', () => {
    build();
    utimesSync(join(copy, 'cli', 'program.ts'), new Date(), new Date());
    expect(token()).toEqual({ status: 0, stdout: 'bin-test-session', ran: 'quick' });
    expect(latchkey('--version')).toEqual({ status: 0, stdout: version, ranTheBuild: false });
  });

  it('runs `token` from the sources once a source of the quick build is edited', () => {
    build();
    const flags = join(copy, 'cli', 'session-flags.ts');
    writeFileSync(flags, readFileSync(flags, 'utf8') + '\n');
    expect(token()).toEqual({ status: 0, stdout: 'bin-test-session', ran: 'sources' });
  });

  it('ends quietly, as SIGPIPE would (141), when the reader of its output has gone (`latchkey --help | head -1`)', async () => {
    for (const args of [['--help'], ['token']]) {
      const child = spawn(process.execPath, [join(copy, 'bin', 'latchkey.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: sessionEnv });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      expect({ args, code, stderr: stderr.replace(quickMarker, '').replace(marker, '') }).toEqual({ args, code: 141, stderr: '' });
    }
  });
});
