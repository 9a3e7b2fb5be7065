// How each way a login can end (docs/ARCHITECTURE.md, "Logins") reads to the person.
const failures: Readonly<Record<string, string>> = {
  cancelled: 'was cancelled',
  timeout: 'timed out',
  tls_error: "failed: the site's certificate was refused",
  network_error: 'failed: the site could not be reached',
  http_error: 'failed: the site answered with an error',
  incomplete: 'failed: the site did not hand out a session',
  redirect_loop: 'failed: the pages redirected in a loop',
};

/** The sentence announced when a login to `name` ends with `ending`. */
export function loginEndingText(name: string, ending: string, user: string | null): string {
  if (ending === 'ok') return user === null ? `Logged in to ${name}.` : `Logged in to ${name} as ${user}.`;
  return `The login to ${name} ${failures[ending] ?? 'failed'}.`;
}
