import { join } from 'node:path';
import { readFile, writeFile } from '../fs-calls.ts';

/**
 * Chromium on Linux loads its GSSAPI library (Negotiate, Kerberos) only in a profile whose
 * `Local State` says it has met a Negotiate challenge, and leaves that first challenge unanswered
 * (the window shows the 401): a person's first login to a site, in its fresh profile, would never
 * be signed in by Kerberos. Where the person lists hosts for integrated Windows authentication
 * (LATCHKEY_AUTH_SERVERS), the profile says so before the browser starts. Chromium then runs its
 * network service outside its sandbox, as it does in any profile that has met such a challenge.
 */
export async function prepareNegotiate(profileDir: string, platform: NodeJS.Platform, hostsListed: boolean): Promise<void> {
  if (platform !== 'linux' || !hostsListed) return;
  const path = join(profileDir, 'Local State');
  let state: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse((await readFile(path)).toString('utf8'));
    // The browser's own file, of a shape we do not know: left to the browser.
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return;
    state = parsed as Record<string, unknown>;
  } catch (error) {
    if (error instanceof SyntaxError) return;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const net = typeof state['net'] === 'object' && state['net'] !== null && !Array.isArray(state['net']) ? (state['net'] as Record<string, unknown>) : {};
  if (net['received_http_auth_negotiate_headers'] === true) return;
  await writeFile(path, JSON.stringify({ ...state, net: { ...net, received_http_auth_negotiate_headers: true } }), { flag: 'w', mode: 0o600 });
}
