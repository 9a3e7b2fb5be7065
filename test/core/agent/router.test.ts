import { describe, expect, it } from 'vitest';
import { allowedMethods, matchRoute } from '../../../core/agent/router.ts';
import { operationRoutes, type OperationName } from '../../../core/common/operations.ts';

describe('matchRoute', () => {
  it('finds every operation of the contract at its method and path', () => {
    for (const name of Object.keys(operationRoutes) as OperationName[]) {
      const spec = operationRoutes[name];
      const path = spec.path.replace(':id', 'studio');
      expect(matchRoute(spec.method, path)).toEqual({ kind: 'found', name, id: spec.path.includes(':id') ? 'studio' : null });
    }
  });

  it('finds the event stream', () => {
    expect(matchRoute('GET', '/v1/events')).toEqual({ kind: 'found', name: 'events', id: null });
  });

  it('lists the allowed methods of a known path on a wrong method', () => {
    expect(matchRoute('PUT', '/v1/sites')).toEqual({ kind: 'method_not_allowed', allow: ['GET', 'POST'] });
    expect(allowedMethods('/v1/sites/x')).toEqual(['PATCH', 'DELETE']);
    expect(allowedMethods('/v1/nothing')).toEqual([]);
  });

  it.each(['', 'v1/health', '/v1/health/', '//v1/health', '/V1/health', '/v1/sites/%2e%2e/session', '/v1/sites/./session', '/v1/sites/a%5cb/session', '/v1/sites//session'])(
    'finds nothing at %j',
    (path) => {
      expect(matchRoute('GET', path)).toEqual({ kind: 'not_found' });
    },
  );

  it('decodes the id once', () => {
    expect(matchRoute('GET', '/v1/sites/a%2520b/session')).toEqual({ kind: 'found', name: 'getSession', id: 'a%20b' });
  });
});
