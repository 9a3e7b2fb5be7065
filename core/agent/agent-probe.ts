import { request } from 'node:http';

/**
 * True when an agent answers `GET /v1/health` on the unix socket `socketPath` with `token`, within
 * `timeoutMs`. Used to tell a running agent from the leftovers of a dead one.
 */
export function probeAgent(socketPath: string, token: string, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (answer: boolean): void => {
      if (settled) return;
      settled = true;
      resolve(answer);
    };
    const req = request({
      socketPath,
      path: '/v1/health',
      method: 'GET',
      headers: { host: 'localhost', authorization: `Bearer ${token}` },
      timeout: timeoutMs,
    });
    req.on('response', (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.on('timeout', () => {
      req.destroy();
      done(false);
    });
    req.on('error', () => done(false));
    req.end();
  });
}
