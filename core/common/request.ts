import { operationRoutes, type OperationName, type OperationRequests } from './operations.ts';

/** One HTTP request to the agent, derived from the operation table. */
export interface AgentRequest {
  method: string;
  /** Path and query, e.g. `/v1/sites/studio/session?wait=0&prompt=false`. */
  target: string;
  /** The JSON body, or null (GET requests carry their input in the query). */
  body: string | null;
}

function queryValue(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TypeError('A GET operation takes only strings, numbers and booleans.');
}

/**
 * The request for an operation, for every client (the CLI, the Node client, the web UI): `:id`
 * from `request.id` (percent-encoded, so a name with spaces or a host with a port stays one
 * segment), the other fields in the query for GET and in a JSON body otherwise. Fields left
 * undefined are not sent, so the agent fills in the defaults.
 */
export function buildRequest<N extends OperationName>(name: N, request: OperationRequests[N]): AgentRequest {
  const route = operationRoutes[name];
  const fields: Record<string, unknown> = { ...(request as Record<string, unknown>) };
  let target: string = route.path;
  if (target.includes(':id')) {
    const id = fields['id'];
    if (typeof id !== 'string' || id === '') throw new TypeError(`Operation ${name} needs a site id.`);
    target = target.replace(':id', encodeURIComponent(id));
    delete fields['id'];
  }
  const defined = Object.entries(fields).filter(([, value]) => value !== undefined);
  if (route.method === 'GET') {
    // encodeURIComponent rather than URLSearchParams: this module runs in every runtime, and ES has only the former.
    const query = defined.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(queryValue(value))}`).join('&');
    return { method: route.method, target: query === '' ? target : `${target}?${query}`, body: null };
  }
  return { method: route.method, target, body: defined.length === 0 ? null : JSON.stringify(Object.fromEntries(defined)) };
}
