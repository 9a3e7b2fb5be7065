import type { ClientRequest, IncomingMessage } from 'node:http';
import { errorFromBody } from '../../core/common/errors.ts';
import { transportRoutes } from '../../core/common/operations.ts';
import type { AgentEvent } from '../../core/common/views.ts';
import type { AgentRoute } from './agent-transport.ts';

// One event is a few hundred bytes: a line longer than this is not the agent's.
const maxLineBytes = 256 * 1024;

/** Reads Server-Sent Events `data:` lines of JSON from the stream, calling `listener` with each event. */
function readEvents(res: IncomingMessage, listener: (event: AgentEvent) => void): void {
  let pending = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    pending += chunk;
    if (pending.length > maxLineBytes && !pending.includes('\n')) {
      res.destroy();
      return;
    }
    let end = pending.indexOf('\n');
    while (end !== -1) {
      const line = pending.slice(0, end).replace(/\r$/, '');
      pending = pending.slice(end + 1);
      if (line.startsWith('data:')) {
        try {
          listener(JSON.parse(line.slice(5)) as AgentEvent);
        } catch {
          // Not one of the agent's events: skipped, as an EventSource skips what it cannot use.
        }
      }
      end = pending.indexOf('\n');
    }
  });
}

function open(route: AgentRoute, target: { socketPath: string } | { port: number }, listener: (event: AgentEvent) => void): Promise<ClientRequest> {
  const { request } = process.getBuiltinModule('node:http') as typeof import('node:http');
  const { discovery } = route;
  return new Promise((resolve, reject) => {
    const req = request({
      ...target,
      ...('port' in target ? { host: '127.0.0.1' } : {}),
      path: transportRoutes.events.path,
      method: 'GET',
      headers: {
        host: `127.0.0.1:${discovery.port}`,
        authorization: `Bearer ${discovery.token}`,
        'x-latchkey-client': route.client,
        accept: 'text/event-stream',
      },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          let body: unknown = null;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            // errorFromBody names the status without a body.
          }
          reject(errorFromBody(res.statusCode ?? 0, body));
        });
        return;
      }
      req.off('error', reject);
      // After it opened, the stream ending (the agent stopping) is not an error of the caller's.
      req.on('error', () => undefined);
      readEvents(res, listener);
      resolve(req);
    });
    req.end();
  });
}

/**
 * Opens the agent's event stream (`GET /v1/events`) and calls `listener` with each event until the
 * returned function is called. Resolves once the agent has the subscription: events from then on
 * all arrive, and the prompts of logins already under way come first.
 */
export async function openEventStream(route: AgentRoute, listener: (event: AgentEvent) => void): Promise<() => void> {
  const { discovery } = route;
  let req: ClientRequest;
  if (discovery.socket) {
    try {
      req = await open(route, { socketPath: discovery.socket }, listener);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ECONNREFUSED') throw error;
      req = await open(route, { port: discovery.port }, listener);
    }
  } else {
    req = await open(route, { port: discovery.port }, listener);
  }
  return () => req.destroy();
}
