import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { buildCli } from '../build-cli.ts';

const bin = new URL('../bin/latchkey.js', import.meta.url).pathname;
const tokenCommand = new URL('../cli/commands/token.ts', import.meta.url).pathname;

function wallMs(args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'ignore'] });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
  return performance.now() - started;
}

/**
 * `latchkey token` against `node -e 0`, alternating runs, medians. The command line is built first
 * (as `npm ci` leaves it), so the figure is for the current sources. Null when the command does not exist.
 */
export async function measureCommand(home: string, site: string, runs = 15): Promise<{ tokenMs: number; nodeMs: number; ratio: number; runs: number } | null> {
  if (!existsSync(tokenCommand)) return null;
  await buildCli();
  const env = { ...process.env, LATCHKEY_HOME: home };
  const token: number[] = [];
  const node: number[] = [];
  wallMs([bin, 'token', site], env); // warm the file cache for both
  for (let i = 0; i < runs; i += 1) {
    node.push(wallMs(['-e', '0'], env));
    token.push(wallMs([bin, 'token', site], env));
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  const tokenMs = median(token);
  const nodeMs = median(node);
  return { tokenMs, nodeMs, ratio: tokenMs / nodeMs, runs };
}
