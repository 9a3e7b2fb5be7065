// Kept apart from the input schemas in contract.ts: `latchkey token` and the client library
// load this, and loading zod would double their start-up time.

/** Method and path of every operation: light enough for clients that must start fast (no schemas). */
export const operationRoutes = {
  health: { method: 'GET', path: '/v1/health' },
  status: { method: 'GET', path: '/v1/status' },
  listSites: { method: 'GET', path: '/v1/sites' },
  addSite: { method: 'POST', path: '/v1/sites' },
  updateSite: { method: 'PATCH', path: '/v1/sites/:id' },
  removeSite: { method: 'DELETE', path: '/v1/sites/:id' },
  setDefaultSite: { method: 'POST', path: '/v1/sites/:id/default' },
  getSession: { method: 'GET', path: '/v1/sites/:id/session' },
  login: { method: 'POST', path: '/v1/sites/:id/login' },
  logout: { method: 'POST', path: '/v1/sites/:id/logout' },
  logoutAll: { method: 'POST', path: '/v1/logout' },
  invalidate: { method: 'POST', path: '/v1/sites/:id/invalidate' },
  activity: { method: 'GET', path: '/v1/activity' },
} as const;

/** The name of an operation. */
export type OperationName = keyof typeof operationRoutes;

/** Where `latchkey ui` asks the agent for a one-time URL of its web UI: a transport feature, not an operation. */
export const uiTicketRoute = { method: 'POST', path: '/v1/ui/ticket' } as const;

/** The agent's answer on `uiTicketRoute`. */
export interface UiTicketReply {
  url: string;
  expiresAt: string;
}
