import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgentHost } from '../core/agent/agent-host.ts';
import { startLab } from '../test/lab/lab.ts';

/**
 * Time from the end of one login to the last of `clients` waiting clients served, measured in one
 * process, with the agent as users run it (its own log level, hidden login windows).
 */
export async function measureBroadcast(clients: number): Promise<{ clients: number; lastServedMs: number; logins: number }> {
  const home = mkdtempSync(join(tmpdir(), 'latchkey-bench-broadcast-'));
  const lab = await startLab({ autoLogin: 'ada' });
  const host = await startAgentHost({ home, version: 'bench', headless: true });
  try {
    const site = host.engine.registry.add({ url: lab.site.url, name: 'demo', default: true });
    let loginEnded = NaN;
    let logins = 0;
    host.engine.onEvent((event) => {
      if (event.type === 'login' && event.phase === 'started') logins += 1;
      if (event.type === 'login' && event.phase === 'finished') loginEnded = performance.now();
    });
    const served: number[] = [];
    const ask = (): Promise<void> =>
      new Promise((resolve, reject) => {
        const req = request(
          { socketPath: host.server.socketPath, path: `/v1/sites/${site.id}/session?wait=60`, headers: { Authorization: `Bearer ${host.server.token}` } },
          (res) => {
            res.resume();
            res.on('end', () => {
              if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
              served.push(performance.now());
              resolve();
            });
          },
        );
        req.on('error', reject);
        req.end();
      });
    await Promise.all(Array.from({ length: clients }, ask));
    return { clients, lastServedMs: Math.max(...served) - loginEnded, logins };
  } finally {
    await host.close();
    await lab.close();
  }
}
