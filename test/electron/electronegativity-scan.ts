// Runs Electronegativity (@doyensec/electronegativity) over a folder and writes its findings as
// JSON to a file. Run as a child process by electronegativity.test.ts, so its globals (it installs
// `__` for translations) stay out of the test worker.
//
// Offline by design: Electronegativity fetches translations and Electron's release list with
// `got` on every run. Here `got` is replaced before Electronegativity loads with one that fails at
// once, so no request ever leaves the machine; the English texts ship in the package, and the
// release check (AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK, which needs that list) is left out.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [input, electronVersion, output] = process.argv.slice(2);
if (input === undefined || electronVersion === undefined || output === undefined) {
  throw new TypeError('usage: electronegativity-scan.ts <folder> <electron version> <report.json>');
}

const load = createRequire(createRequire(import.meta.url).resolve('@doyensec/electronegativity/package.json'));
const offline = async (): Promise<never> => {
  throw new Error('offline: Latchkey runs Electronegativity without the network');
};
const gotPath = load.resolve('got');
load(gotPath);
const cached = load.cache[gotPath];
if (cached === undefined) throw new Error('could not stub got');
cached.exports = Object.assign(offline, { head: offline, default: offline, __esModule: true });

process.env['LANG'] = 'en-US';
const run = load('./dist/runner.js') as (options: object, forCli: boolean) => Promise<Report>;

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string };
  confidence: { name: string };
  manualReview?: boolean;
  description: string;
}
interface Report {
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: Finding[];
}

const report = await run(
  {
    input,
    customScan: [],
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    isRelative: true,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  },
  false,
);
const issues = report.issues.map((issue) => ({
  id: issue.id,
  file: issue.file,
  line: issue.location.line,
  column: issue.location.column,
  severity: issue.severity.name,
  confidence: issue.confidence.name,
  manualReview: issue.manualReview === true,
  description: issue.description,
}));
writeFileSync(output, JSON.stringify({ checks: report.globalChecks + report.atomicChecks, errors: report.errors, issues }));
