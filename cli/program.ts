import { Command } from 'commander';
import type { CommandContext } from './command-context.ts';
import { registerAgent } from './commands/agent.ts';
import { registerApi } from './commands/api.ts';
import { registerDemo } from './commands/demo.ts';
import { registerExec } from './commands/exec.ts';
import { registerGet } from './commands/get.ts';
import { registerInvalidate } from './commands/invalidate.ts';
import { registerLogin } from './commands/login.ts';
import { registerLogout } from './commands/logout.ts';
import { registerSites } from './commands/sites/register.ts';
import { registerStatus } from './commands/status.ts';
import { registerToken } from './commands/token.ts';
import { registerUi } from './commands/ui.ts';
import { latchkeyVersion } from './version.ts';

/** Builds the `latchkey` command with every verb of DESIGN.md section 6. */
export function buildProgram(context: CommandContext): Command {
  const program = new Command('latchkey')
    .description('Log in once through single sign-on; hand the session to your scripts and tools.')
    .version(latchkeyVersion, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `
SITE is a site id, name, host or URL; LATCHKEY_SITE sets the one used when none is given (else
the default site). LATCHKEY_HOME chooses the home (one agent per home); LATCHKEY_AGENT points at
another agent's discovery file. Run \`latchkey COMMAND --help\` for a command's options.

Exit codes: 0 ok, 1 error, 2 usage, 3 agent not running, 4 login required, 5 refused by the
agent, 124 login timed out, 130 interrupted.`,
    );
  for (const register of [registerStatus, registerSites, registerLogin, registerLogout, registerToken, registerGet, registerExec, registerApi, registerInvalidate, registerAgent, registerUi, registerDemo]) {
    register(program, context);
  }
  return program;
}
