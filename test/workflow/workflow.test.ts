import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The GitHub Actions workflow cannot run here; it is linted against the workflow schema by
// action-validator, whose npm package carries its checker (WebAssembly: nothing downloaded at
// install), and what it runs is checked to exist in this repository.

const root = join(import.meta.dirname, '..', '..');
const workflowPath = join(root, '.github', 'workflows', 'ci.yml');
const validator = join(root, 'node_modules', '@action-validator', 'cli', 'cli.mjs');

function validate(path: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [validator, path], { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

interface Workflow {
  jobs: Record<string, { steps: Array<{ run?: string; uses?: string }> }>;
}

describe('the GitHub Actions workflow', () => {
  it('passes action-validator', () => {
    expect(validate(workflowPath)).toEqual({ status: 0, output: '' });
  });

  it('is checked for real: a workflow with a mistake is refused', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'latchkey-workflow-')), 'ci.yml');
    writeFileSync(broken, readFileSync(workflowPath, 'utf8').replace('runs-on: ubuntu-24.04', 'runs_on: ubuntu-24.04'));
    const result = validate(broken);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('runs_on');
  });

  it('runs scripts and tests that exist here, and tests on Linux, macOS and Windows', () => {
    const workflow = parse(readFileSync(workflowPath, 'utf8')) as Workflow;
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((step) => (step.run === undefined ? [] : [step.run])));
    for (const name of runs.flatMap((run) => [...run.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1] ?? ''))) expect(scripts, name).toHaveProperty(name);
    for (const path of runs.flatMap((run) => [...run.matchAll(/((?:test|node_modules|bin)\/[\w./@-]+\.(?:ts|js))/g)].map((match) => match[1] ?? ''))) expect(existsSync(join(root, path)), path).toBe(true);
    const text = readFileSync(workflowPath, 'utf8');
    for (const os of ['ubuntu-', 'macos-', 'windows-']) expect(text).toContain(`${os}`);
  });
});
