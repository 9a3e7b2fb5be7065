import { setTimeout as sleep } from 'node:timers/promises';
import { transportRoutes } from '../common/operations.ts';
import { LatchkeyError } from '../common/errors.ts';
import type { HomePaths } from '../home.ts';
import type { Logger } from '../log.ts';
import { httpCall } from '../net/http-call.ts';
import { probeAgent } from './agent-probe.ts';
import { readDiscovery } from './discovery-file.ts';
import { isProcessAlive } from './process-alive.ts';

// How long the desktop app waits for a headless agent it asked to stop: the agent ends its
// streams and its logins under way first.
const stopTimeoutMs = 30_000;
const pollMs = 50;

/**
 * The desktop app starting where a headless agent serves this host's folder of the home: asks it
 * to stop (as `latchkey agent stop` does, with the token of its discovery file) and waits until it
 * has let the home go, so the app claims the home and opens the store the agent wrote. Resolves
 * with the stopped agent's pid, or null when none was serving.
 */
export async function takeOverHome(paths: HomePaths, logger: Logger): Promise<number | null> {
  const discovery = await readDiscovery(paths.hostDir);
  if (discovery === null || !isProcessAlive(discovery.pid) || !(await probeAgent(discovery.socket, discovery.token))) return null;
  const { pid } = discovery;
  const answer = await httpCall(`http://localhost${transportRoutes.stopAgent.path}`, {
    method: transportRoutes.stopAgent.method,
    socketPath: discovery.socket,
    headers: { authorization: `Bearer ${discovery.token}`, 'x-latchkey-client': 'latchkey desktop app (taking over)' },
    timeoutMs: 10_000,
    maxBytes: 64 * 1024,
  }).catch((error: unknown) => {
    throw new LatchkeyError('agent_running', `The Latchkey agent serving this home (pid ${pid}) did not answer the request to stop.`, { hint: `Stop it (\`latchkey agent stop\`, or end pid ${pid}), then start the app again.`, cause: error });
  });
  if (answer.status !== 200) {
    throw new LatchkeyError('agent_running', `The Latchkey agent serving this home (pid ${pid}) refused to stop (HTTP ${answer.status}).`, {
      hint: 'It may be another desktop app on this machine: quit that one first.',
    });
  }
  logger.info('asked the headless agent to stop, to take the home over', { pid });
  const deadline = Date.now() + stopTimeoutMs;
  // Gone once its discovery file is (it removes it last but one, before its lock) and its process has ended.
  while ((await readDiscovery(paths.hostDir))?.pid === pid || isProcessAlive(pid)) {
    if (Date.now() > deadline) {
      throw new LatchkeyError('agent_running', `The Latchkey agent serving this home (pid ${pid}) was asked to stop and has not within ${stopTimeoutMs / 1000} s.`, {
        hint: `End pid ${pid}, then start the app again.`,
      });
    }
    await sleep(pollMs);
  }
  return pid;
}
