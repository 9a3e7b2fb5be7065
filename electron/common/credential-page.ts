// The form's answer goes to this address, which is never loaded: the navigation is caught and
// refused in the main process, so the password goes nowhere but to the login's callback.
export const answerUrl = 'latchkey-credentials:answer';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`).replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD');
}

/** The prompt's page: a plain form, no script, nothing loaded from anywhere. */
export function credentialPage(host: string, realm: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; form-action latchkey-credentials:">
<title>Sign in to ${escapeHtml(host)}</title>
<style>body{font:14px system-ui,sans-serif;margin:20px}label{display:block;margin:8px 0 2px}input{width:100%;box-sizing:border-box}p.realm{color:#555}</style></head>
<body><h1 style="font-size:16px">${escapeHtml(host)} asks you to sign in</h1>
${realm === '' ? '' : `<p class="realm">${escapeHtml(realm)}</p>`}
<form method="get" action="${answerUrl}">
<label for="username">User name</label><input id="username" name="username" autocomplete="username" autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<p><button type="submit" name="answer" value="sign-in">Sign in</button> <button type="submit" name="answer" value="cancel" formnovalidate>Cancel</button></p>
</form></body></html>`;
}

