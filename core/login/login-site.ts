import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import type { Site } from '../sites/site.ts';
import { runLogin } from './login-flow.ts';
import type { LoginResult } from './login-result.ts';
import type { LoginWindowFactory } from './login-window.ts';

/** What logging in to a site needs. */
export interface LoginSiteRequest {
  site: Site;
  store: SessionStore;
  windows: LoginWindowFactory;
  /** False for silent renewal: a hidden window that never asks the person anything. */
  interactive: boolean;
  timeoutMs?: number;
  settleMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/**
 * Logs in to a site and stores the session on success. Any other ending leaves the stored
 * session exactly as it was: a failed renewal never removes a session that may still be valid.
 */
export async function loginSite(request: LoginSiteRequest): Promise<LoginResult> {
  const { store, ...flow } = request;
  const result = await runLogin(flow);
  if (result.ending === 'ok') await store.put(result.session);
  return result;
}
