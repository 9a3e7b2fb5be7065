import { request } from 'node:http';
import { startLiveAgent } from '../test/support/live-agent.ts';

/** Time from the end of one login to the last of `clients` waiting clients served, measured in one process. */
export async function measureBroadcast(clients: number): Promise<{ clients: number; lastServedMs: number; logins: number }> {
  const live = await startLiveAgent('bench-broadcast');
  try {
    let loginEnded = NaN;
    let logins = 0;
    live.engine.onEvent((event) => {
      if (event.type === 'login' && event.phase === 'started') logins += 1;
      if (event.type === 'login' && event.phase === 'finished') loginEnded = performance.now();
    });
    const served: number[] = [];
    const ask = (): Promise<void> =>
      new Promise((resolve, reject) => {
        const req = request(
          { socketPath: live.server.socketPath, path: '/v1/sites/demo/session?wait=60', headers: { Authorization: `Bearer ${live.server.token}` } },
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
    await live.close();
  }
}
