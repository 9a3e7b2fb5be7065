// `npm run test:repeat -- [N] [--load]`: runs the whole suite N times in a row (default 5) and
// reports every test that failed at least once, with how often. With --load, a second full run
// goes on beside each run, so each is measured on a machine that is busy with another suite.
// The command line is built once, first: the runs then leave dist/ alone (LATCHKEY_TEST_PREBUILT).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildForTests } from './global-setup.ts';

const root = new URL('..', import.meta.url).pathname;
const { values, positionals } = parseArgs({ options: { load: { type: 'boolean' } }, allowPositionals: true });
const runs = Number(positionals[0] ?? '5');
if (!Number.isInteger(runs) || runs < 1) throw new TypeError('N must be a whole number of runs, at least 1');

interface RunResult {
  code: number;
  failed: string[];
  passed: number;
  seconds: number;
}

function runSuite(label: string, quiet: boolean): Promise<RunResult> {
  // Each run's folder named here: two runs side by side must not take each other's results.
  // Short: the tests' homes, and the agent sockets in them, live under it (a socket path holds 103 bytes).
  // Short, as test/run.ts's own: a unix socket's path in a test home must stay under about 100 bytes.
  const name = `${Date.now().toString(36)}-${label.startsWith('load') ? 'l' : 'r'}${label.replace(/\D+/g, '')}`;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'test', 'run.ts')], {
      cwd: root,
      env: { ...process.env, LATCHKEY_TEST_PREBUILT: '1', LATCHKEY_TEST_RUN_NAME: name },
      stdio: ['ignore', quiet ? 'ignore' : 'inherit', quiet ? 'ignore' : 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const dir = join(root, '.test-runs', name);
      const resultsPath = existsSync(dir) ? join(dir, 'results.json') : null;
      const failed: string[] = [];
      let passed = 0;
      if (resultsPath !== null && existsSync(resultsPath)) {
        const results = JSON.parse(readFileSync(resultsPath, 'utf8')) as {
          numPassedTests: number;
          testResults: Array<{ name: string; message?: string; assertionResults: Array<{ fullName: string; status: string }> }>;
        };
        passed = results.numPassedTests;
        for (const file of results.testResults) {
          const name = file.name.replace(root, '');
          for (const test of file.assertionResults) if (test.status === 'failed') failed.push(`${name} > ${test.fullName}`);
          if (file.assertionResults.length === 0 && file.message) failed.push(`${name} (the file failed to run)`);
        }
      } else {
        failed.push(`${label}: the run reported no results`);
      }
      resolve({ code: code ?? 1, failed, passed, seconds: (performance.now() - started) / 1000 });
    });
  });
}

await buildForTests();
const failures = new Map<string, number>();
const lines: string[] = [];
for (let run = 1; run <= runs; run += 1) {
  console.log(`\n=== run ${run} of ${runs}${values.load ? ' (beside a second full run)' : ''} ===`);
  const [result, load] = await Promise.all([runSuite(`run ${run}`, false), values.load ? runSuite(`load ${run}`, true) : Promise.resolve(null)]);
  for (const name of [...result.failed, ...(load?.failed ?? [])]) failures.set(name, (failures.get(name) ?? 0) + 1);
  lines.push(
    `run ${run}: exit ${result.code}, ${result.passed} passed, ${result.failed.length} failed, ${result.seconds.toFixed(0)} s` +
      (load === null ? '' : ` | the run beside it: exit ${load.code}, ${load.passed} passed, ${load.failed.length} failed, ${load.seconds.toFixed(0)} s`),
  );
}
console.log(`\n=== ${runs} run${runs === 1 ? '' : 's'}${values.load ? ', each beside a second full run' : ''} ===`);
for (const line of lines) console.log(line);
if (failures.size === 0) {
  console.log('No test failed in any run.');
} else {
  console.log('Tests that failed at least once (how many runs):');
  for (const [name, count] of [...failures].sort((a, b) => b[1] - a[1])) console.log(`  ${count}x ${name}`);
  process.exitCode = 1;
}
