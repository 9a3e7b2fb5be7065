import { useEffect, useReducer, useRef, type Dispatch } from 'react';
import type { Bridge } from '../../core/common/operations.ts';
import type { AgentEvent } from '../../core/common/views.ts';
import { agentReducer, initialAgentState, type AgentAction, type AgentState } from './agent-state.ts';
import { loginEndingText } from './login-endings.ts';

/** The engine's state as the UI holds it, and the dispatcher that call results go through. */
export interface AgentStore {
  state: AgentState;
  dispatch: Dispatch<AgentAction>;
}

/**
 * Loads the status and recent activity through `bridge` and keeps them current from its events.
 * `announce` hears of logins that end, whoever started them (the UI, the CLI, a renewal).
 */
export function useAgent(bridge: Bridge, announce: (message: string) => void): AgentStore {
  const [state, dispatch] = useReducer(agentReducer, initialAgentState);
  const latest = useRef(state);
  const announceRef = useRef(announce);
  useEffect(() => {
    latest.current = state;
    announceRef.current = announce;
  });

  useEffect(() => {
    let cancelled = false;
    // Users as the events tell them: the engine sends a login's session event just before its
    // `finished` event, sooner than React applies it to the state.
    const users = new Map<string, string | null>();
    const onEvent = (event: AgentEvent): void => {
      dispatch({ type: 'event', event });
      if (event.type === 'session') users.set(event.site, event.session.user);
      if (event.type === 'login' && event.phase === 'finished') {
        const site = latest.current.sites.find((candidate) => candidate.id === event.site);
        const user = users.get(event.site) ?? site?.session.user ?? null;
        announceRef.current(loginEndingText(site?.name ?? event.site, event.ending ?? 'error', user));
      }
    };
    // Subscribed first, so nothing that happens while the status loads is missed.
    const unsubscribe = bridge.onEvent(onEvent);
    void Promise.all([bridge.call('status', {}), bridge.call('activity', {})]).then(([status, activity]) => {
      if (cancelled) return;
      if (status.ok) dispatch({ type: 'status', status: status.value });
      else dispatch({ type: 'loadFailed', message: status.error.message });
      if (activity.ok) dispatch({ type: 'activity', entries: activity.value });
    });
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [bridge]);

  return { state, dispatch };
}
