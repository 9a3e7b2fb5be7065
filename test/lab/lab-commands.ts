import type { Lab } from './lab.ts';
import { checkSiteFailure, siteFailures } from './site-failures.ts';

/** The control commands a person can type into a running lab (`node test/lab/main.ts`). */
export const labCommandHelp = `Controls (type a command and press Enter):
  auto NAME | auto off     sign in as NAME with no form (integrated Windows authentication), or show the form
  otp on | otp off         ask for the one-time code after the password, or not
  end-sessions             end every IdP session (as after a password change)
  idp down | idp up        stop the identity provider (connection refused) or start it again
  failure NAME | failure off   make the site fail: ${siteFailures.join(', ')}
  lifetime SECONDS         lifetime of site sessions issued from now on
  revoke                   end every site session (/api/whoami answers 401)
  sessions                 how many site sessions were issued
  help                     this text`;

/** Runs one control command against `lab` and returns what to print; never throws for bad input. */
export async function runLabCommand(lab: Lab, line: string): Promise<string> {
  const [command = '', ...rest] = line.trim().split(/\s+/);
  const argument = rest.join(' ');
  try {
    switch (command) {
      case '':
        return '';
      case 'auto':
        lab.idp.setAutoLogin(argument === 'off' ? null : argument);
        return argument === 'off' ? 'The login form is shown.' : `Logins finish as ${argument} with no form.`;
      case 'otp':
        if (argument !== 'on' && argument !== 'off') return 'Say "otp on" or "otp off".';
        lab.idp.setOtp(argument === 'on');
        return `One-time code step ${argument}.`;
      case 'end-sessions':
        return `Ended ${lab.idp.endAllSessions()} IdP session(s).`;
      case 'idp':
        if (argument === 'down') {
          await lab.idp.stop();
          return 'Identity provider stopped.';
        }
        if (argument === 'up') {
          await lab.idp.start();
          return `Identity provider listening on ${lab.idp.url}.`;
        }
        return 'Say "idp down" or "idp up".';
      case 'failure':
        lab.site.setFailure(checkSiteFailure(argument === 'off' ? null : argument));
        return argument === 'off' ? 'The site behaves normally.' : `The site now fails with ${argument}.`;
      case 'lifetime':
        lab.site.setSessionLifetime(Number(argument));
        return `New site sessions last ${argument} s.`;
      case 'revoke':
        return `Ended ${lab.site.revokeAllSessions()} site session(s).`;
      case 'sessions':
        return `${lab.site.issuedSessions().length} site session(s) issued.`;
      case 'help':
        return labCommandHelp;
      default:
        return `Unknown command "${command}". Type "help".`;
    }
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
