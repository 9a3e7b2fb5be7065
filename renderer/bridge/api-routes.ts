import type { UiOperationName } from '../../core/operations/bridge.ts';
import type { OperationRequest, operationSpecs } from '../../core/operations/contract.ts';

type Specs = typeof operationSpecs;

/** The method and path of an operation, exactly as the contract declares them. */
type Route<N extends UiOperationName> = { method: Specs[N]['method']; path: Specs[N]['path'] };

/**
 * The agent API's route of every operation the UI calls. The renderer cannot load the contract at
 * run time (it is Node code, with zod), so the table is written out here; its type is taken from
 * the contract, so a path or method that drifts from it fails to compile.
 */
export const apiRoutes: { readonly [N in UiOperationName]: Route<N> } = {
  health: { method: 'GET', path: '/v1/health' },
  status: { method: 'GET', path: '/v1/status' },
  listSites: { method: 'GET', path: '/v1/sites' },
  addSite: { method: 'POST', path: '/v1/sites' },
  updateSite: { method: 'PATCH', path: '/v1/sites/:id' },
  removeSite: { method: 'DELETE', path: '/v1/sites/:id' },
  setDefaultSite: { method: 'POST', path: '/v1/sites/:id/default' },
  login: { method: 'POST', path: '/v1/sites/:id/login' },
  logout: { method: 'POST', path: '/v1/sites/:id/logout' },
  logoutAll: { method: 'POST', path: '/v1/logout' },
  invalidate: { method: 'POST', path: '/v1/sites/:id/invalidate' },
  activity: { method: 'GET', path: '/v1/activity' },
};

/** One HTTP request for an operation. */
export interface ApiRequest {
  method: string;
  /** Path and query under the API's base, e.g. `/v1/sites/studio/login`. */
  target: string;
  body: string | null;
}

/** Builds the request for an operation: `:id` from the request, the other fields in the query (GET) or a JSON body. */
export function apiRequest<N extends UiOperationName>(name: N, request: OperationRequest<N>): ApiRequest {
  const { method, path } = apiRoutes[name];
  const fields: Record<string, unknown> = { ...(request as Record<string, unknown>) };
  let target: string = path;
  if (target.includes(':id')) {
    const id = fields['id'];
    if (typeof id !== 'string' || id === '') throw new TypeError(`Operation ${name} needs a site id.`);
    // Percent-encoded, so any id stays one path segment.
    target = target.replace(':id', encodeURIComponent(id));
    delete fields['id'];
  }
  const defined = Object.entries(fields).filter(([, value]) => value !== undefined);
  if (method === 'GET') {
    const query = new URLSearchParams(defined.map(([key, value]): [string, string] => [key, String(value)])).toString();
    return { method, target: query === '' ? target : `${target}?${query}`, body: null };
  }
  return { method, target, body: defined.length === 0 ? null : JSON.stringify(Object.fromEntries(defined)) };
}
