import type { ActivityEntry, AgentEvent, AgentStatus, SiteView } from '../../core/common/views.ts';
import { sessionForDisplay, siteForDisplay } from '../../core/common/display-text.ts';
import { loginPromptForDisplay, type LoginPrompt } from './login-prompt.ts';

/** What the UI knows about the engine. */
export interface AgentState {
  /** False until the first status arrived. */
  loaded: boolean;
  /** Why the first status could not be read, if it could not. */
  loadError: string | null;
  storage: AgentStatus['storage'] | null;
  storageNote: string | null;
  version: string | null;
  sites: SiteView[];
  /** Newest first. */
  activity: ActivityEntry[];
  /** By site id: what a login under way asks the person to do in their browser, until it finishes. */
  loginPrompts: ReadonlyMap<string, LoginPrompt>;
}

/** Everything that changes the state: answers to calls, and the engine's events. */
export type AgentAction =
  | { type: 'status'; status: AgentStatus }
  | { type: 'loadFailed'; message: string }
  | { type: 'activity'; entries: ActivityEntry[] }
  | { type: 'site'; site: SiteView }
  | { type: 'removed'; id: string }
  | { type: 'event'; event: AgentEvent };

/** The state before anything arrived. */
export const initialAgentState: AgentState = {
  loaded: false,
  loadError: null,
  storage: null,
  storageNote: null,
  version: null,
  sites: [],
  activity: [],
  loginPrompts: new Map(),
};

// The activity list shows the recent past, not the agent's whole record.
const activityShown = 50;

function updateSite(state: AgentState, id: string, change: (site: SiteView) => SiteView): AgentState {
  return { ...state, sites: state.sites.map((site) => (site.id === id ? change(site) : site)) };
}

/** `prompts` without `id`'s (the same map when it has none, so nothing re-renders). */
function withoutPrompt(prompts: ReadonlyMap<string, LoginPrompt>, id: string): ReadonlyMap<string, LoginPrompt> {
  if (!prompts.has(id)) return prompts;
  const rest = new Map(prompts);
  rest.delete(id);
  return rest;
}

/** `prompts` of the sites in `sites` only: a site that is gone takes its prompt with it. */
function promptsOf(prompts: ReadonlyMap<string, LoginPrompt>, sites: readonly SiteView[]): ReadonlyMap<string, LoginPrompt> {
  const ids = new Set(sites.map((site) => site.id));
  return [...prompts.keys()].every((id) => ids.has(id)) ? prompts : new Map([...prompts].filter(([id]) => ids.has(id)));
}

function applyEvent(state: AgentState, event: AgentEvent): AgentState {
  switch (event.type) {
    case 'sites':
      return { ...state, sites: event.sites.map(siteForDisplay), loginPrompts: promptsOf(state.loginPrompts, event.sites) };
    case 'session':
      return updateSite(state, event.site, (site) => ({ ...site, session: sessionForDisplay(event.session) }));
    case 'login': {
      // A login that starts asks anew (its prompt follows its start); one that finished asks nothing more.
      const changed = { ...state, loginPrompts: withoutPrompt(state.loginPrompts, event.site) };
      return updateSite(changed, event.site, (site) => ({ ...site, loggingIn: event.phase === 'started' }));
    }
    case 'loginPrompt':
      // Kept even for a site not known yet: the agent sends a running login's prompt as soon as
      // the UI subscribes, which may be before the status with the site arrives.
      return { ...state, loginPrompts: new Map(state.loginPrompts).set(event.site, loginPromptForDisplay(event)) };
    case 'activity':
      return { ...state, activity: [event.entry, ...state.activity].slice(0, activityShown) };
  }
}

/** The reducer of the UI's state. */
export function agentReducer(state: AgentState, action: AgentAction): AgentState {
  switch (action.type) {
    case 'status':
      return {
        ...state,
        loaded: true,
        loadError: null,
        storage: action.status.storage,
        storageNote: action.status.storageNote,
        version: action.status.version,
        sites: action.status.sites.map(siteForDisplay),
        loginPrompts: promptsOf(state.loginPrompts, action.status.sites),
      };
    case 'loadFailed':
      return { ...state, loadError: action.message };
    case 'activity':
      return { ...state, activity: action.entries.slice(0, activityShown) };
    case 'site': {
      const shown = siteForDisplay(action.site);
      const known = state.sites.some((site) => site.id === action.site.id);
      if (!known) return { ...state, sites: [...state.sites, shown] };
      // Only the default site is marked default: making one the default unmarks the others.
      const sites = state.sites.map((site) =>
        site.id === action.site.id ? shown : action.site.default ? { ...site, default: false } : site,
      );
      return { ...state, sites };
    }
    case 'removed':
      return { ...state, sites: state.sites.filter((site) => site.id !== action.id), loginPrompts: withoutPrompt(state.loginPrompts, action.id) };
    case 'event':
      return applyEvent(state, action.event);
  }
}
