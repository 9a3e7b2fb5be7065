// Runs the SSO lab on its own until Ctrl-C: `node test/lab/main.ts [--auto-login NAME] [--otp]`.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startLab, type Lab } from './lab.ts';
import { labCommandHelp, runLabCommand } from './lab-commands.ts';

function describe(lab: Lab): string {
  const accounts = lab.accounts.users
    .map((a) => `  ${JSON.stringify(a.login).padEnd(12)} password ${JSON.stringify(a.password).padEnd(13)} ${a.displayName} (user id ${a.userId})`)
    .join('\n');
  return `Latchkey SSO lab
  Identity provider  ${lab.idp.url}
  Site               ${lab.site.url}  (sign in: ${lab.site.url}/auth/renew?product=browser)
  Site over HTTPS    ${lab.site.tlsUrl}  (self-signed: browsers must refuse it)
  Check a session    curl -H 'Cookie: _session_id=…' --resolve studio.localhost:${lab.site.port}:127.0.0.1 ${lab.site.url}/api/whoami
  Cloud (oidc)       ${lab.cloud.url}  (clients ${lab.cloud.clientId} and native ${lab.cloud.desktopClientId}, issuer ${lab.idp.issuer}; POST /api/login { token, domain: "${lab.cloud.domain}" })
  Device flow        POST ${lab.idp.deviceAuthorizationEndpoint} (client_id ${lab.cloud.desktopClientId}); enter the code at ${lab.idp.issuer}/device
  App sessions       POST ${lab.site.url}/internal_api/app_session_request (appName, machineId), then open its url and poll it with PUT
  Catalyst (query)   ${lab.querySite.url}  (sign in: ${lab.querySite.url}/sso/login)
  Portal (JWT)       ${lab.jwtSite.url}  (sign in: ${lab.jwtSite.url}/account/sso-login)

Accounts (one-time code ${lab.accounts.otpCode} when the code step is on):
${accounts}

Open the site in Chromium (it resolves *.localhost to this machine by itself).

${labCommandHelp}
`;
}

const { values } = parseArgs({
  options: {
    'auto-login': { type: 'string' },
    otp: { type: 'boolean', default: false },
  },
});

const lab = await startLab({ autoLogin: values['auto-login'] ?? null, otp: values.otp });
process.stdout.write(describe(lab));
if (values['auto-login'] !== undefined) process.stdout.write(`\nLogins finish as ${values['auto-login']} with no form.\n`);
if (values.otp) process.stdout.write('\nThe one-time code step is on.\n');

const input = createInterface({ input: process.stdin, terminal: false });
// Commands run one after another, so replies come in the order they were typed.
let pending = Promise.resolve();
input.on('line', (line) => {
  pending = pending.then(async () => {
    const reply = await runLabCommand(lab, line);
    if (reply !== '') process.stdout.write(reply + '\n');
  });
});

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  input.close();
  lab.close().then(
    () => process.stdout.write('SSO lab stopped.\n'),
    (error: unknown) => {
      console.error('SSO lab: close failed', error);
      process.exitCode = 1;
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
