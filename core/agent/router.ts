import { operationRoutes, transportRoutes, type OperationName } from '../common/operations.ts';

/** A route: an operation of the contract, or a transport feature (the event stream, a ticket for the web UI, stopping the agent). */
export type RouteName = OperationName | keyof typeof transportRoutes;

interface Route {
  name: RouteName;
  method: string;
  /** Path segments after the leading slash; `:id` is the one parameter. */
  segments: readonly string[];
  /** Where `:id` is among the segments, or -1. */
  idAt: number;
}

function route(name: RouteName, method: string, path: string): Route {
  const segments = path.split('/').slice(1);
  return { name, method, segments, idAt: segments.indexOf(':id') };
}

// Derived from the contract, so a new operation is served without touching this file.
const routes: readonly Route[] = [
  ...(Object.keys(operationRoutes) as OperationName[]).map((name) => route(name, operationRoutes[name].method, operationRoutes[name].path)),
  ...(Object.keys(transportRoutes) as (keyof typeof transportRoutes)[]).map((name) => route(name, transportRoutes[name].method, transportRoutes[name].path)),
];

/** The outcome of matching a request's method and path. */
export type RouteMatch =
  | { kind: 'found'; name: RouteName; id: string | null }
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'not_found' };

/**
 * The `:id` segment, percent-decoded exactly once; null when it is not a usable id. Dot segments,
 * separators and control characters are refused here so that no handler ever sees an id that could
 * walk a path (`%2e%2e`, `%2f`).
 */
function decodeId(segment: string): string | null {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return null;
  }
  if (id === '' || id === '.' || id === '..') return null;
  if (/[/\\\u0000-\u001f\u007f]/.test(id)) return null;
  return id;
}

/** The routes whose path matches `path` exactly, with the decoded id. */
function pathMatches(path: string): Array<{ route: Route; id: string | null }> {
  // Exact comparison, segment by segment: a trailing slash, `//`, a different case or an encoded
  // character in a fixed segment is simply another path (RFC 3986 section 6.2.1: no normalisation).
  const segments = path.split('/').slice(1);
  if (!path.startsWith('/')) return [];
  const found: Array<{ route: Route; id: string | null }> = [];
  for (const candidate of routes) {
    if (candidate.segments.length !== segments.length) continue;
    // The fixed segments first; the id is decoded only for a route they all match.
    const { idAt } = candidate;
    let fixedMatch = true;
    for (let index = 0; index < segments.length && fixedMatch; index += 1) {
      fixedMatch = index === idAt || candidate.segments[index] === segments[index];
    }
    if (!fixedMatch) continue;
    const id = idAt < 0 ? null : decodeId(segments[idAt] ?? '');
    if (idAt < 0 || id !== null) found.push({ route: candidate, id });
  }
  return found;
}

/** Matches a request's method and path (without its query) against the routes. */
export function matchRoute(method: string, path: string): RouteMatch {
  const found = pathMatches(path);
  if (found.length === 0) return { kind: 'not_found' };
  const exact = found.find((match) => match.route.method === method);
  if (exact !== undefined) return { kind: 'found', name: exact.route.name, id: exact.id };
  return { kind: 'method_not_allowed', allow: [...new Set(found.map((match) => match.route.method))] };
}

/** The methods served at `path` (empty for an unknown path), for an `Allow` header. */
export function allowedMethods(path: string): string[] {
  return [...new Set(pathMatches(path).map((match) => match.route.method))];
}
