import { operationRoutes } from '../common/operations.ts';
import { httpCall } from '../net/http-call.ts';

/**
 * True when an agent answers its health check on the unix socket `socketPath` with `token`,
 * within `timeoutMs` of silence. Used to tell a running agent from the leftovers of a dead one.
 */
export async function probeAgent(socketPath: string, token: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const answer = await httpCall(`http://localhost${operationRoutes.health.path}`, { socketPath, headers: { authorization: `Bearer ${token}` }, timeoutMs, maxBytes: 64 * 1024 });
    return answer.status === 200;
  } catch {
    return false;
  }
}
