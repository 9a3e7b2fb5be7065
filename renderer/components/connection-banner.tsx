import { useEffect, useState, type ReactNode } from 'react';
import type { Bridge } from '../../core/common/operations.ts';
import { isObservable, type ConnectionState } from '../bridge/http-bridge.ts';

/** The Bridge's connection state; a Bridge that cannot lose its engine (IPC) is always open. */
export function useConnection(bridge: Bridge): ConnectionState {
  const [state, setState] = useState<ConnectionState>('open');
  useEffect(() => (isObservable(bridge) ? bridge.onConnection(setState) : undefined), [bridge]);
  return state;
}

/** Says when the UI has lost the agent, and what to do when it will not come back. */
export function ConnectionBanner({ state }: { state: ConnectionState }): ReactNode {
  if (state === 'reconnecting') {
    return (
      <p className="banner banner-warning" role="status">
        The Latchkey agent is not answering. Reconnecting…
      </p>
    );
  }
  if (state === 'ended') {
    return (
      <p className="banner banner-error" role="alert">
        This page is no longer connected: its session ended or the agent restarted. Run <code>latchkey ui</code> to open the UI again.
      </p>
    );
  }
  return null;
}
