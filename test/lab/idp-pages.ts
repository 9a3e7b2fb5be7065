import { escapeHtml, htmlPage } from './html.ts';

// Plain forms with stable ids (`username`, `password`, `otp`, `submit`) and labels, so that tests
// drive them the way a person would (Playwright's `fill` on the labelled input, then a click).

const style = '<style>body{font-family:sans-serif;max-width:24em;margin:3em auto}label,input,button{display:block;margin:.4em 0}.error{color:#b00020}</style>\n';

function errorBlock(error: string | null): string {
  return error === null ? '' : `<p class="error" role="alert" id="error">${escapeHtml(error)}</p>\n`;
}

/** The identity provider's sign-in form, posting to `action`; `error` is shown above it. */
export function loginPage(action: string, options: { error: string | null; username: string }): string {
  return htmlPage('Sign in · Lab IdP', `<h1>Sign in to the Lab IdP</h1>
${errorBlock(options.error)}<form method="post" action="${escapeHtml(action)}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" value="${escapeHtml(options.username)}" autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<button id="submit" type="submit">Sign in</button>
</form>`, style);
}

/** The second step: a one-time code form, posting to `action`. */
export function otpPage(action: string, options: { error: string | null; displayName: string }): string {
  return htmlPage('One-time code · Lab IdP', `<h1>One-time code</h1>
<p>Signed in as ${escapeHtml(options.displayName)}. Enter the code from your authenticator.</p>
${errorBlock(options.error)}<form method="post" action="${escapeHtml(action)}">
<label for="otp">Code</label>
<input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" autofocus>
<button id="submit" type="submit">Verify</button>
</form>`, style);
}

/** A page that explains why the identity provider cannot go on. */
export function idpErrorPage(title: string, detail: string): string {
  return htmlPage(`${title} · Lab IdP`, `<h1>${escapeHtml(title)}</h1>\n<p id="error">${escapeHtml(detail)}</p>`, style);
}
