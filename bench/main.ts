// `npm run bench`: every figure is a ratio measured side by side in this one run, because CPU
// timing on shared machines is too noisy for absolute targets. The agent and the commands are
// the built ones (`dist/bin/`, made first from the sources), as users run them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildCli } from '../build-cli.ts';
import { parseDiscovery } from '../core/common/discovery.ts';
import { homePaths } from '../core/home.ts';
import { startLab } from '../test/lab/lab.ts';
import { measureBroadcast } from './broadcast.ts';
import { compareCommands, runCommand } from './command-time.ts';
import { measureLogin } from './login-time.ts';
import { runLoad, type LoadResult, type LoadTarget } from './load.ts';

const here = import.meta.dirname;
const bin = join(here, '..', 'bin', 'latchkey.js');
const rounds = 5;
const connections = 50;
const runMs = 2_000;
const warmUpMs = 1_000;

const fmt = (n: number, digits = 2): string => n.toFixed(digits);
const verdict = (ok: boolean): string => (ok ? 'meets target' : 'MISSES target');
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Starts a child process and resolves with it once a line of its output matches `ready`. */
async function startChild(args: string[], env: NodeJS.ProcessEnv, ready: RegExp, stream: 'stdout' | 'stderr'): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child[stream]! });
    lines.on('line', (text) => {
      if (ready.test(text)) resolve(text);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
  return { child, line };
}

/** The resident memory of a process, in MB. */
function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

function fetchBytes(socketPath: string, path: string, headers: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    });
    req.on('error', reject);
    req.end();
  });
}

const summarise = (results: LoadResult[]): { perSecond: number; p50Ms: number; p99Ms: number } => ({
  perSecond: median(results.map((r) => r.perSecond)),
  p50Ms: median(results.map((r) => r.p50Ms)),
  p99Ms: median(results.map((r) => r.p99Ms)),
});

await buildCli();
const lab = await startLab({ autoLogin: 'ada' });
const home = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
const env = { ...process.env, LATCHKEY_HOME: home };
const agent = await startChild([bin, 'agent', '--headless'], env, /Stop it with Ctrl-C/, 'stderr');
const children: ChildProcess[] = [agent.child];
try {
  await runCommand(['sites', 'add', lab.site.url, '--name', 'demo', '--default'], env);
  await runCommand(['sites', 'add', 'http://idle.localhost:9', '--name', 'idle'], env);
  await runCommand(['login', 'demo'], env);
  const discovery = parseDiscovery(JSON.parse(readFileSync(join(homePaths(home).hostDir, 'agent.json'), 'utf8')));
  if (discovery === null) throw new Error('the agent wrote no discovery file');
  const { socket, port, token } = discovery;
  const path = '/v1/sites/demo/session';
  const agentHeaders = { Authorization: `Bearer ${token}`, Host: `127.0.0.1:${port}` };
  const body = await fetchBytes(socket, path, agentHeaders);
  const bare = await startChild([join(here, 'bare-server.cjs'), join(tmpdir(), `latchkey-bench-bare-${process.pid}.sock`), body.toString('base64')], process.env, /^\{/, 'stdout');
  children.push(bare.child);
  const bareInfo = JSON.parse(bare.line) as { socket: string; port: number };

  console.log(`Agent round trip for one session (${body.length} bytes), ${connections} keep-alive connections, ${rounds} alternating rounds of ${runMs / 1000} s`);
  for (const transport of ['unix socket', 'TCP'] as const) {
    const agentTarget: LoadTarget = transport === 'TCP' ? { port, path, headers: agentHeaders } : { socketPath: socket, path, headers: agentHeaders };
    const bareTarget: LoadTarget = transport === 'TCP' ? { port: bareInfo.port, path, headers: {} } : { socketPath: bareInfo.socket, path, headers: {} };
    const agentRuns: LoadResult[] = [];
    const bareRuns: LoadResult[] = [];
    // Unmeasured: the first run of each is mostly the JIT warming up, in the servers and the load.
    await runLoad(bareTarget, connections, warmUpMs);
    await runLoad(agentTarget, connections, warmUpMs);
    for (let round = 0; round < rounds; round += 1) {
      bareRuns.push(await runLoad(bareTarget, connections, runMs));
      agentRuns.push(await runLoad(agentTarget, connections, runMs));
    }
    const a = summarise(agentRuns);
    const b = summarise(bareRuns);
    const ratio = a.perSecond / b.perSecond;
    const p99 = a.p99Ms / b.p99Ms;
    // Each round's own ratio too: on a shared machine their spread says how far to trust the median.
    const roundRatios = agentRuns.map((run, round) => fmt(run.perSecond / (bareRuns[round]?.perSecond ?? NaN))).join(' ');
    console.log(
      `  ${transport.padEnd(11)} agent ${fmt(a.perSecond, 0)} req/s (p50 ${fmt(a.p50Ms)} ms, p99 ${fmt(a.p99Ms)} ms) | bare ${fmt(b.perSecond, 0)} req/s (p50 ${fmt(b.p50Ms)} ms, p99 ${fmt(b.p99Ms)} ms)\n` +
        `              throughput ratio ${fmt(ratio)} (rounds ${roundRatios}; target >= 0.9: ${verdict(ratio >= 0.9)}) | p99 ratio ${fmt(p99)} (target <= 1.5: ${verdict(p99 <= 1.5)})`,
    );
  }

  console.log('\nCommand start-up against `node -e 0` (medians of alternating runs, the built command line)');
  const verbs: Array<{ args: string[]; target: number }> = [
    { args: ['token', 'demo'], target: 1.2 },
    { args: ['get', 'demo', '--format', 'json'], target: 1.4 },
    { args: ['status'], target: 1.4 },
    { args: ['sites'], target: 1.4 },
    { args: ['login', 'demo'], target: 1.4 },
    { args: ['logout', 'idle'], target: 1.4 },
    { args: ['invalidate', 'idle'], target: 1.4 },
    { args: ['sites', 'default', 'demo'], target: 1.4 },
    { args: ['sites', 'edit', 'idle', '--name', 'idle'], target: 1.4 },
    { args: ['exec', 'demo', '--', 'true'], target: 1.4 },
    { args: ['api', 'demo', '/api/whoami'], target: 1.4 },
    { args: ['ui', '--no-open'], target: 1.4 },
    { args: ['completion', '--sites'], target: 1.4 },
    { args: ['--help'], target: 1.4 },
  ];
  // Last, the floor: a bare client making token's exchange (bare-client.cjs), what node:net and one
  // connection cost before Latchkey does anything.
  const timings = await compareCommands([...verbs.map((verb) => [bin, ...verb.args]), [join(here, 'bare-client.cjs'), 'demo', join(homePaths(home).hostDir, 'agent.json')]], env, 15);
  for (const [index, { args, target }] of verbs.entries()) {
    const timing = timings[index];
    if (timing === undefined) continue;
    console.log(`  latchkey ${args.join(' ').padEnd(34)} ${fmt(timing.commandMs, 1)} ms vs ${fmt(timing.nodeMs, 1)} ms | ratio ${fmt(timing.ratio)} (target <= ${target}: ${verdict(timing.ratio <= target)})`);
  }
  const floor = timings[verbs.length];
  if (floor !== undefined) console.log(`  a bare node:net client of token's exchange   ${fmt(floor.commandMs, 1)} ms vs ${fmt(floor.nodeMs, 1)} ms | ratio ${fmt(floor.ratio)} (the floor for any command that asks the agent)`);

  // A fresh agent over an empty home, as `latchkey agent` leaves it after starting, beside a bare
  // Node HTTP server (the baseline above) that has answered as many requests.
  const idleHome = mkdtempSync(join(tmpdir(), 'latchkey-bench-idle-'));
  const idle = await startChild([bin, 'agent', '--headless'], { ...process.env, LATCHKEY_HOME: idleHome }, /Stop it with Ctrl-C/, 'stderr');
  children.push(idle.child);
  const idleDiscovery = parseDiscovery(JSON.parse(readFileSync(join(homePaths(idleHome).hostDir, 'agent.json'), 'utf8')));
  if (idleDiscovery === null) throw new Error('the idle agent wrote no discovery file');
  await fetchBytes(idleDiscovery.socket, '/v1/health', { Authorization: `Bearer ${idleDiscovery.token}`, Host: `127.0.0.1:${idleDiscovery.port}` });
  const freshBare = await startChild([join(here, 'bare-server.cjs'), join(tmpdir(), `latchkey-bench-idle-bare-${process.pid}.sock`), body.toString('base64')], process.env, /^\{/, 'stdout');
  children.push(freshBare.child);
  await fetchBytes((JSON.parse(freshBare.line) as { socket: string }).socket, '/v1/health', {});
  const idleMb = rssMb(idle.child.pid ?? 0);
  const bareMb = rssMb(freshBare.child.pid ?? 0);
  console.log(`\nIdle agent memory: ${fmt(idleMb, 1)} MB resident vs a bare Node HTTP server ${fmt(bareMb, 1)} MB (target <= 60 MB: ${verdict(idleMb <= 60)})`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  await lab.close();
}

const broadcast = await measureBroadcast(200);
console.log(`\nOne login, ${broadcast.clients} waiting clients: last client served ${fmt(broadcast.lastServedMs, 1)} ms after the login ended, ${broadcast.logins} login(s) (target < 100 ms: ${verdict(broadcast.lastServedMs < 100 && broadcast.logins === 1)})`);

const login = await measureLogin(3);
console.log(`Login time ${fmt(login.latchkeyMs, 0)} ms vs the raw browser navigation through the same pages ${fmt(login.rawMs, 0)} ms (medians of ${login.runs}) | ratio ${fmt(login.ratio)}`);
