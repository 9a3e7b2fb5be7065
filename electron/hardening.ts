import { app, session } from 'electron';

/**
 * Rules for every webContents the app will ever have, set before any exists: no `<webview>`, no
 * new windows (each window may loosen neither; the login and app windows add their own rules),
 * and the sandbox for every renderer, whatever a window's options say.
 * See https://www.electronjs.org/docs/latest/tutorial/security#4-enable-process-sandboxing
 * and https://www.electronjs.org/docs/latest/tutorial/security#12-verify-webview-options-before-creation
 */
export function hardenAllContents(): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/**
 * The app window's session asks for nothing: every permission request and check is refused and
 * downloads are cancelled. (Notifications come from the main process and need no permission.)
 * See https://www.electronjs.org/docs/latest/tutorial/security#5-handle-session-permission-requests-from-remote-content
 */
export function hardenDefaultSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event) => event.preventDefault());
}
