// `npm run bench`: every figure is a ratio measured side by side in this one run, because CPU
// timing on shared machines is too noisy for absolute targets.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { measureBroadcast } from './broadcast.ts';
import { measureCommand } from './command-time.ts';
import { measureLogin } from './login-time.ts';
import { runLoad, type LoadResult, type LoadTarget } from './load.ts';

const here = new URL('.', import.meta.url).pathname;
const rounds = 3;
const connections = 50;
const runMs = 2_000;
const warmUpMs = 1_000;

async function startChild(script: string, args: string[]): Promise<{ child: ChildProcess; info: Record<string, unknown> }> {
  const child = spawn(process.execPath, [join(here, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, info: JSON.parse(line) as Record<string, unknown> };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function summarise(results: LoadResult[]): { perSecond: number; p50Ms: number; p99Ms: number } {
  return { perSecond: median(results.map((r) => r.perSecond)), p50Ms: median(results.map((r) => r.p50Ms)), p99Ms: median(results.map((r) => r.p99Ms)) };
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits);
const verdict = (ok: boolean): string => (ok ? 'meets target' : 'MISSES target');

const agent = await startChild('agent-process.ts', []);
const { socket, port, token, site, home } = agent.info as { socket: string; port: number; token: string; site: string; home: string };
const path = `/v1/sites/${site}/session`;
const agentHeaders = { Authorization: `Bearer ${token}`, Host: `127.0.0.1:${port}` };
const body = await new Promise<Buffer>((resolve, reject) => {
  import('node:http').then(({ request }) => {
    const req = request({ socketPath: socket, path, headers: agentHeaders }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    });
    req.on('error', reject);
    req.end();
  }, reject);
});
const bare = await startChild('bare-server.ts', [join(tmpdir(), `latchkey-bench-bare-${process.pid}.sock`), body.toString('base64')]);
const bareInfo = bare.info as { socket: string; port: number };

try {
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
    // Each round's own ratio too: on a shared machine their spread says how far to trust the median.
    const roundRatios = agentRuns.map((run, round) => fmt(run.perSecond / (bareRuns[round]?.perSecond ?? NaN))).join(' ');
    console.log(
      `  ${transport.padEnd(11)} agent ${fmt(a.perSecond, 0)} req/s (p50 ${fmt(a.p50Ms)} ms, p99 ${fmt(a.p99Ms)} ms) | bare ${fmt(b.perSecond, 0)} req/s (p50 ${fmt(b.p50Ms)} ms, p99 ${fmt(b.p99Ms)} ms) | ratio ${fmt(ratio)} (rounds ${roundRatios}; target >= 0.8: ${verdict(ratio >= 0.8)})`,
    );
  }

  const command = await measureCommand(home, site);
  console.log(
    command === null
      ? '`latchkey token` wall time: skipped (the token command is not available)'
      : `\`latchkey token\` wall time ${fmt(command.tokenMs, 1)} ms vs \`node -e 0\` ${fmt(command.nodeMs, 1)} ms (medians of ${command.runs}) | ratio ${fmt(command.ratio)} (target <= 1.5: ${verdict(command.ratio <= 1.5)})`,
  );
} finally {
  agent.child.kill('SIGTERM');
  bare.child.kill('SIGTERM');
}

const broadcast = await measureBroadcast(200);
console.log(`One login, ${broadcast.clients} waiting clients: last client served ${fmt(broadcast.lastServedMs, 1)} ms after the login ended, ${broadcast.logins} login(s) (target < 100 ms: ${verdict(broadcast.lastServedMs < 100 && broadcast.logins === 1)})`);

const login = await measureLogin(3);
console.log(`Login time ${fmt(login.latchkeyMs, 0)} ms vs the raw browser navigation through the same pages ${fmt(login.rawMs, 0)} ms (medians of ${login.runs}) | ratio ${fmt(login.ratio)}`);
