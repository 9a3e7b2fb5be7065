import { spawn } from 'node:child_process';
import { join } from 'node:path';

const bin = join(import.meta.dirname, '..', 'bin', 'latchkey.js');

/** Runs `latchkey ARGS` to the end; throws when it fails. */
export function runCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`latchkey ${args.join(' ')} exited with ${code}: ${stderr}`))));
  });
}

/** The wall time of one run, from spawn to exit. Not spawnSync: the lab answers `latchkey api` from this very process. */
function wallMs(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'ignore'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/**
 * Each command line against `node -e 0`, in alternating runs (the baseline right before each
 * command), medians of `runs`: the ratio is what a script pays for starting latchkey.
 */
export async function compareCommands(commands: string[][], env: NodeJS.ProcessEnv, runs: number): Promise<Array<{ commandMs: number; nodeMs: number; ratio: number }>> {
  const node: number[][] = commands.map(() => []);
  const command: number[][] = commands.map(() => []);
  // Warm the file cache and V8's compile cache for every chunk first.
  for (const args of commands) await wallMs(args, env);
  for (let run = 0; run < runs; run += 1) {
    for (const [index, args] of commands.entries()) {
      node[index]?.push(await wallMs(['-e', '0'], env));
      command[index]?.push(await wallMs(args, env));
    }
  }
  return commands.map((_, index) => {
    const commandMs = median(command[index] ?? []);
    const nodeMs = median(node[index] ?? []);
    return { commandMs, nodeMs, ratio: commandMs / nodeMs };
  });
}
