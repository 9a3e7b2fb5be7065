// The test command's runner: runs Vitest (under a virtual display where none exists, so the
// visible-window tests run too), then searches everything the run printed or logged for any
// session value the lab handed out. A secret in a log fails the run.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// LATCHKEY_TEST_RUN_NAME names the run's folder (test/repeat.ts gives each of two runs side by side its own).
// Short: a unix socket's path in a test home must stay under about 100 bytes.
const runDir = join(root, '.test-runs', process.env['LATCHKEY_TEST_RUN_NAME'] ?? Date.now().toString(36));
mkdirSync(runDir, { recursive: true });
const outputPath = join(runDir, 'test-output.log');
const resultsPath = join(runDir, 'results.json');
writeFileSync(outputPath, '');

function hasCommand(name: string): boolean {
  return (process.env['PATH'] ?? '').split(':').some((dir) => dir && existsSync(join(dir, name)));
}

const vitestArgs = [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsPath}`, ...process.argv.slice(2)];
const needsDisplay = process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];
const [command, args] = needsDisplay && hasCommand('xvfb-run')
  ? ['xvfb-run', ['-a', process.execPath, ...vitestArgs]]
  : [process.execPath, vitestArgs];

const child = spawn(command, args, {
  cwd: root,
  env: { ...process.env, LATCHKEY_TEST_RUN_DIR: runDir },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const output: Buffer[] = [];
child.stdout.on('data', (chunk: Buffer) => { output.push(chunk); process.stdout.write(chunk); });
child.stderr.on('data', (chunk: Buffer) => { output.push(chunk); process.stderr.write(chunk); });
const code: number = await new Promise((resolve) => child.on('close', (exit) => resolve(exit ?? 1)));
writeFileSync(outputPath, Buffer.concat(output));

/** Files a secret must never reach: what the run printed and every log file under the run folder. */
function logFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'profiles' ? [] : logFiles(path);
    return entry.name.endsWith('.log') ? [path] : [];
  });
}

const secretsPath = join(runDir, 'secrets.txt');
const secrets = existsSync(secretsPath)
  ? [...new Set(readFileSync(secretsPath, 'utf8').split('\n').filter((line) => line.length >= 8))]
  : [];
const scanned = logFiles(runDir);
const leaks = scanned.filter((file) => {
  const text = readFileSync(file, 'utf8');
  return secrets.some((secret) => text.includes(secret) || text.includes(encodeURIComponent(secret)));
});
const bytes = scanned.reduce((sum, file) => sum + statSync(file).size, 0);
if (leaks.length > 0) {
  console.error(`\nSecret scan FAILED: a session value appears in ${leaks.map((file) => relative(root, file)).join(', ')}`);
} else {
  console.log(`\nSecret scan: ${secrets.length} session values searched for in ${scanned.length} log files (${bytes} bytes): none found.`);
}

let summary = 'tests: no results (the runner failed before reporting)';
if (existsSync(resultsPath)) {
  const results = JSON.parse(readFileSync(resultsPath, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  summary = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`;
}
console.log(summary);
process.exitCode = code !== 0 ? code : leaks.length > 0 ? 1 : 0;
