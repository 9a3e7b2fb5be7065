import type { ErrorCode } from '../errors.ts';
import type { AgentEvent, OperationName, OperationRequest, OperationResults, TransportErrorCode } from './contract.ts';

/**
 * The operations the UI may call. `getSession` is left out on purpose: the renderer (in the
 * desktop app or in the agent's web UI) never holds a session value.
 */
export type UiOperationName = Exclude<OperationName, 'getSession'>;

/** The operations the UI may call, as a list (for run-time checks in IPC handlers and the web UI). */
export const uiOperationNames: readonly UiOperationName[] = [
  'health',
  'status',
  'listSites',
  'addSite',
  'updateSite',
  'removeSite',
  'setDefaultSite',
  'login',
  'logout',
  'logoutAll',
  'invalidate',
  'activity',
];

/** An operation's outcome as it crosses IPC: Electron carries only an error's message, so errors travel as data. */
export type BridgeResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: ErrorCode | TransportErrorCode; message: string; hint?: string } };

/**
 * What the React UI sees of the engine: the preload exposes one over IPC in the desktop app, and
 * the web UI builds one over HTTP to the agent. Same components, same operations.
 */
export interface Bridge {
  call<N extends UiOperationName>(name: N, request: OperationRequest<N>): Promise<BridgeResult<OperationResults[N]>>;
  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvent(listener: (event: AgentEvent) => void): () => void;
}
