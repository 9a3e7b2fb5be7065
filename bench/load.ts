import { Agent, request } from 'node:http';

/** Where and how to send the benchmark's requests. */
export interface LoadTarget {
  socketPath?: string;
  port?: number;
  path: string;
  headers: Record<string, string>;
}

/** What one load run measured. */
export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? NaN;
}

/** Sends requests over `connections` keep-alive connections for `durationMs` and measures each. */
export async function runLoad(target: LoadTarget, connections: number, durationMs: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  const deadline = performance.now() + durationMs;
  const once = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const req = request(
        { agent, method: 'GET', path: target.path, headers: target.headers, ...(target.socketPath ? { socketPath: target.socketPath } : { host: '127.0.0.1', port: target.port }) },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
            latencies.push(performance.now() - started);
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) await once();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, seconds, perSecond: latencies.length / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
}
