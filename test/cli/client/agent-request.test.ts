import { describe, expect, it } from 'vitest';
import { buildAgentRequest } from '../../../cli/client/agent-request.ts';

describe('buildAgentRequest', () => {
  it('builds each kind of request from the contract', () => {
    const cases = [
      { name: 'health', request: {}, expected: { method: 'GET', target: '/v1/health', body: null } },
      { name: 'getSession', request: { id: 'studio', wait: 30, prompt: false }, expected: { method: 'GET', target: '/v1/sites/studio/session?wait=30&prompt=false', body: null } },
      { name: 'getSession', request: { id: 'My Studio/x' }, expected: { method: 'GET', target: '/v1/sites/My%20Studio%2Fx/session', body: null } },
      { name: 'login', request: { id: 'a', force: true, timeout: undefined }, expected: { method: 'POST', target: '/v1/sites/a/login', body: '{"force":true}' } },
      { name: 'addSite', request: { url: 'https://x.example', default: true }, expected: { method: 'POST', target: '/v1/sites', body: '{"url":"https://x.example","default":true}' } },
      { name: 'removeSite', request: { id: 'studio.example.com:8443' }, expected: { method: 'DELETE', target: '/v1/sites/studio.example.com%3A8443', body: '{}' } },
      { name: 'logoutAll', request: {}, expected: { method: 'POST', target: '/v1/logout', body: '{}' } },
    ] as const;
    for (const { name, request, expected } of cases) {
      expect({ name, built: buildAgentRequest(name, request as never) }).toEqual({ name, built: expected });
    }
  });

  it('refuses a missing site id as a caller mistake', () => {
    expect(() => buildAgentRequest('invalidate', { id: '' })).toThrow(TypeError);
  });
});
