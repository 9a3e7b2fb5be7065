// The app window's renderer is served from a custom scheme instead of file:// so that it has an
// origin of its own, which IPC handlers can check and which no web page can take.
// See https://www.electronjs.org/docs/latest/tutorial/security#18-avoid-usage-of-the-file-protocol-and-prefer-usage-of-custom-protocols

/** The custom scheme the renderer is served from. */
export const appScheme = 'app';

/** The fixed host of the app's origin (a standard scheme needs one). */
export const appHost = 'latchkey';

/** The renderer's origin: the only origin allowed to call the engine over IPC. */
export const appOrigin = `${appScheme}://${appHost}`;

/** The address the app window loads. */
export const appEntryUrl = `${appOrigin}/index.html`;
