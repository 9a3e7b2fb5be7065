// The Node client library of Latchkey (`import { getSession } from 'latchkey/client'`): talks to
// the running agent over its private socket, with the operations of core/common/operations.ts.
export { connectAgent, type AgentClient, type CallOptions, type ConnectOptions } from './agent-client.ts';
export { discoveryFilePath } from './discovery.ts';
export { defaultWaitSeconds, getSession, invalidateSession, type GetSessionOptions } from './get-session.ts';
export { promptAllowedBy, siteIdFor, siteRefFrom } from './site-ref.ts';
export { hasCode, LatchkeyError, type ErrorCode, type ErrorDetails } from '../../core/common/errors.ts';
export type { AgentDiscovery } from '../../core/common/discovery.ts';
export type { OperationName, OperationRequests, OperationResults } from '../../core/common/operations.ts';
export type { ActivityEntry, AgentStatus, GrantCookie, SessionGrant, SessionSummary, SiteView } from '../../core/common/views.ts';
