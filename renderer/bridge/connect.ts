import { forDisplay } from '../../core/common/display-text.ts';
import type { Bridge, BridgeResult } from '../../core/common/operations.ts';
import { createHttpBridge } from './http-bridge.ts';

declare global {
  interface Window {
    /** The desktop app's Bridge, exposed by its preload script over IPC. */
    latchkey?: Bridge;
  }
}

// Per tab and per origin, gone when the tab closes: the key never outlives the page that got it.
const keyStorageName = 'latchkey.uiKey';

/**
 * Takes the UI key the agent put in the URL fragment when it exchanged the ticket, keeps it for
 * this tab (so a reload still works), and removes it from the address bar and the history entry.
 */
function takeUiKey(): string | null {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const fresh = fragment.get('key');
  if (fresh !== null) {
    window.sessionStorage.setItem(keyStorageName, fresh);
    window.history.replaceState(null, '', window.location.pathname);
  }
  return window.sessionStorage.getItem(keyStorageName);
}

/**
 * `bridge` with the text of its errors fit to show (display-text.ts): a message may quote what a
 * site or an identity provider said. Names and labels are cleaned by the state (agent-state.ts).
 */
function withShownErrors(bridge: Bridge): Bridge {
  const shown = <T>(result: BridgeResult<T>): BridgeResult<T> => {
    if (result.ok) return result;
    const { message, hint, ...rest } = result.error;
    return { ok: false, error: { ...rest, message: forDisplay(message), ...(hint === undefined ? {} : { hint: forDisplay(hint) }) } };
  };
  return {
    call: async (name, request) => shown(await bridge.call(name, request)),
    onEvent: (listener) => bridge.onEvent(listener),
  };
}

/**
 * The Bridge this page talks through: the desktop app's, when its preload set one, or else the
 * agent's web UI API next to this page. Null when neither is there (a web UI page opened without
 * `latchkey ui`).
 */
export function connectBridge(): Bridge | null {
  if (window.latchkey !== undefined) return withShownErrors(window.latchkey);
  const key = takeUiKey();
  if (key === null) return null;
  // The page is served at `<agent>/ui/`; its API is at `<agent>/ui/api`.
  const apiBase = new URL('api', window.location.href).href;
  return withShownErrors(createHttpBridge(apiBase, key));
}
