// The Node client library of Latchkey (`import { getSession } from 'latchkey/client'`): talks to
// the running agent over its private socket, with the operations of core/operations/contract.ts.
export { connectAgent, type AgentClient, type CallOptions, type ConnectOptions } from './agent-client.ts';
export { AgentError, isAgentError, type AgentErrorCode, type AgentErrorDetails } from './agent-error.ts';
export { discoveryFilePath, type AgentDiscovery } from './discovery.ts';
export { defaultWaitSeconds, getSession, invalidateSession, type GetSessionOptions } from './get-session.ts';
export { promptAllowedBy, siteIdFor, siteRefFrom } from './site-ref.ts';
export type {
  ActivityEntry,
  AgentStatus,
  GrantCookie,
  OperationName,
  OperationRequest,
  OperationResults,
  SessionGrant,
  SessionSummary,
  SiteView,
} from '../../core/operations/contract.ts';
