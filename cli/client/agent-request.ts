import type { OperationRequest } from '../../core/operations/contract.ts';
import { operationRoutes, type OperationName } from '../../core/operations/routes.ts';

/** One HTTP request to the agent, derived from the contract. */
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
 * Builds the request for an operation from `operationRoutes`: `:id` from `request.id` (percent-
 * encoded, so a name with spaces or a host with a port stays one segment), the other fields in the
 * query for GET and in a JSON body otherwise. Fields left undefined are not sent, so the agent
 * fills in the contract's defaults.
 */
export function buildAgentRequest<N extends OperationName>(name: N, request: OperationRequest<N>): AgentRequest {
  const spec = operationRoutes[name];
  const fields: Record<string, unknown> = { ...(request as Record<string, unknown>) };
  let path: string = spec.path;
  if (path.includes(':id')) {
    const id = fields['id'];
    if (typeof id !== 'string' || id === '') throw new TypeError(`Operation ${name} needs a site id.`);
    path = path.replace(':id', encodeURIComponent(id));
    delete fields['id'];
  }
  const defined = Object.entries(fields).filter(([, value]) => value !== undefined);
  if (spec.method === 'GET') {
    const query = new URLSearchParams(defined.map(([key, value]): [string, string] => [key, queryValue(value)])).toString();
    return { method: spec.method, target: query === '' ? path : `${path}?${query}`, body: null };
  }
  return { method: spec.method, target: path, body: JSON.stringify(Object.fromEntries(defined)) };
}
