import { checkChoice } from './choice.ts';
import { authorizationTampers, idTokenTampers } from './idp-tamper.ts';
import { jwtSiteFailures } from './jwt-site.ts';
import { querySiteFailures } from './query-site.ts';
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
  id-token NAME | id-token off   spoil the ID tokens the IdP hands out: ${idTokenTampers.join(', ')}
  authz NAME | authz off   spoil the IdP's redirects to relying parties: ${authorizationTampers.join(', ')}
  cloud refuse | cloud ok  make the cloud refuse every POST /api/login (401), or not
  cloud-lifetime SECONDS   lifetime of cloud API tokens issued from now on
  catalyst no_key | catalyst off       make the query site land without SessionKey, or not
  portal NAME | portal off make the JWT site fail: ${jwtSiteFailures.join(', ')}
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
      case 'id-token':
        lab.idp.setIdTokenTamper(checkChoice('ID token tamper', idTokenTampers, argument === 'off' ? null : argument));
        return argument === 'off' ? 'ID tokens are handed out as issued.' : `ID tokens are now spoiled: ${argument}.`;
      case 'authz':
        lab.idp.setAuthorizationTamper(checkChoice('authorization tamper', authorizationTampers, argument === 'off' ? null : argument));
        return argument === 'off' ? 'Authorization responses go out as issued.' : `Authorization responses are now spoiled: ${argument}.`;
      case 'cloud':
        if (argument !== 'refuse' && argument !== 'ok') return 'Say "cloud refuse" or "cloud ok".';
        lab.cloud.setFailure(argument === 'refuse' ? 'refuse_exchange' : null);
        return argument === 'refuse' ? 'The cloud refuses every exchange.' : 'The cloud exchanges ID tokens again.';
      case 'cloud-lifetime':
        lab.cloud.setTokenLifetime(Number(argument));
        return `New cloud API tokens last ${argument} s.`;
      case 'catalyst':
        lab.querySite.setFailure(checkChoice('query site failure', querySiteFailures, argument === 'off' ? null : argument));
        return argument === 'off' ? 'The query site behaves normally.' : `The query site now fails with ${argument}.`;
      case 'portal':
        lab.jwtSite.setFailure(checkChoice('JWT site failure', jwtSiteFailures, argument === 'off' ? null : argument));
        return argument === 'off' ? 'The JWT site behaves normally.' : `The JWT site now fails with ${argument}.`;
      case 'help':
        return labCommandHelp;
      default:
        return `Unknown command "${command}". Type "help".`;
    }
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
