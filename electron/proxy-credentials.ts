import type { Credentials } from './credential-prompt.ts';

// What the person typed for a proxy that asked, by proxy host and port: in memory only, for this
// run of the app (never written, never logged), so the engine's own calls through that proxy
// (electron-http.ts) need no second prompt. A proxy that refuses them makes them go.
const answers = new Map<string, Credentials>();

/** The credentials the person gave for the proxy at `host:port`, if any. */
export function proxyCredentials(host: string, port: number): Credentials | undefined {
  return answers.get(`${host}:${port}`);
}

/** Keeps (or, with null, forgets) the credentials for the proxy at `host:port`. */
export function rememberProxyCredentials(host: string, port: number, credentials: Credentials | null): void {
  if (credentials === null) answers.delete(`${host}:${port}`);
  else answers.set(`${host}:${port}`, credentials);
}
