import { appHost, appScheme } from './app-origin.ts';

/** What the main process knows about the sender of an IPC message. */
export interface IpcSender {
  /** `event.sender.id`: the webContents that sent the message. */
  webContentsId: number;
  /** `event.senderFrame.url`, or null when the frame is gone (navigated away or destroyed). */
  frameUrl: string | null;
  /** True when `event.senderFrame` is the top frame (it has no parent). */
  topFrame: boolean;
}

/**
 * True only for messages from the app window's own top frame at the app's origin. Every IPC
 * handler checks this first: a message could come from another webContents (a login window, if
 * it ever got a preload), from an iframe, or from a page the window was navigated to.
 * See https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages
 */
export function isTrustedSender(sender: IpcSender, appWebContentsId: number | null): boolean {
  if (appWebContentsId === null || sender.webContentsId !== appWebContentsId) return false;
  if (!sender.topFrame || sender.frameUrl === null) return false;
  return isAppUrl(sender.frameUrl);
}

/**
 * True when `url` is at the app's origin. Compared by parts: Node's URL gives every scheme it does
 * not know an opaque origin ("null"), while Chromium treats `app:` as a standard scheme, so the
 * origin string could not be compared; the parts can.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${appScheme}:` && parsed.host === appHost && parsed.username === '' && parsed.password === '';
}
