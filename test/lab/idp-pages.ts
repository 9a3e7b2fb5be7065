import { escapeHtml, htmlPage } from './html.ts';

// Plain forms with stable ids (`username`, `password`, `otp`, `user_code`, `submit`, `confirm`,
// `abort`) and labels, so that tests drive them the way a person would (Playwright's `fill` on the
// labelled input, then a click).

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

/** What a device-flow form posts besides its own fields (oidc-provider checks `xsrf` against the session). */
export interface DeviceForm {
  action: string;
  xsrf: string;
}

function deviceHidden(form: DeviceForm): string {
  return `<input type="hidden" name="xsrf" value="${escapeHtml(form.xsrf)}">`;
}

/** The device flow's first page (RFC 8628 section 3.3): the person types the code their device shows. */
export function deviceCodePage(form: DeviceForm, options: { error: string | null; userCode: string }): string {
  return htmlPage('Connect a device · Lab IdP', `<h1>Connect a device</h1>
<p>Enter the code shown on your device.</p>
${errorBlock(options.error)}<form method="post" action="${escapeHtml(form.action)}">
${deviceHidden(form)}
<label for="user_code">Code</label>
<input id="user_code" name="user_code" autocomplete="off" autocapitalize="characters" value="${escapeHtml(options.userCode)}" autofocus>
<button id="submit" type="submit">Continue</button>
</form>`, style);
}

/**
 * The confirm step: which application asks, and the code again, so the person can tell it is the
 * one on their device (RFC 8628 section 5.4). `#confirm` posts `confirm=yes`, `#abort` posts `abort=yes`.
 */
export function deviceConfirmPage(form: DeviceForm, options: { clientName: string; userCode: string }): string {
  return htmlPage('Confirm device · Lab IdP', `<h1>Confirm device</h1>
<p><strong id="client-name">${escapeHtml(options.clientName)}</strong> asks to sign in as you on the device showing this code:</p>
<p><code id="shown-code">${escapeHtml(options.userCode)}</code></p>
<form method="post" action="${escapeHtml(form.action)}">
${deviceHidden(form)}
<input type="hidden" name="user_code" value="${escapeHtml(options.userCode)}">
<button id="confirm" type="submit" name="confirm" value="yes">Confirm</button>
<button id="abort" type="submit" name="abort" value="yes">Deny</button>
</form>`, style);
}

/** The end of the device flow in the browser: the device is signed in. */
export function deviceSuccessPage(clientName: string): string {
  return htmlPage('Device connected · Lab IdP', `<h1>Device connected</h1>
<p id="success">${escapeHtml(clientName)} is signed in on your device. You may close this tab.</p>`, style);
}

/** The end of the device flow when the person denied it at the confirm step. */
export function deviceDeniedPage(): string {
  return htmlPage('Device refused · Lab IdP', `<h1>Device refused</h1>
<p id="denied">The device was not signed in. You may close this tab.</p>`, style);
}

/** A page that explains why the identity provider cannot go on. */
export function idpErrorPage(title: string, detail: string): string {
  return htmlPage(`${title} · Lab IdP`, `<h1>${escapeHtml(title)}</h1>\n<p id="error">${escapeHtml(detail)}</p>`, style);
}

/**
 * The logout confirmation, answered "yes" at once, or with `asks` left to a person (as providers
 * do when a logout comes without an ID token hint): `form` is oidc-provider's (its action and xsrf token).
 */
export function idpLogoutPage(form: string, asks = false): string {
  const answer = asks
    ? '<p>Do you want to sign out of the lab identity provider?</p>\n<button id="logout" type="submit" name="logout" value="yes" form="op.logoutForm">Sign out</button>'
    : "<input type=\"hidden\" name=\"logout\" value=\"yes\" form=\"op.logoutForm\">\n<p>Signing out…</p>\n<script>document.getElementById('op.logoutForm').submit();</script>";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signing out</title></head><body>
${form}
${answer}
</body></html>`;
}
