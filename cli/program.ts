import { Command, CommanderError } from 'commander';
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
import { exitCodes } from './exit-codes.ts';
import { latchkeyVersion } from './version.ts';

/** Each verb of DESIGN.md section 6, by name, with the function that adds it to the program. */
const verbs = {
  status: registerStatus,
  sites: registerSites,
  login: registerLogin,
  logout: registerLogout,
  token: registerToken,
  get: registerGet,
  exec: registerExec,
  api: registerApi,
  invalidate: registerInvalidate,
  agent: registerAgent,
  ui: registerUi,
  demo: registerDemo,
} satisfies Record<string, (program: Command, context: CommandContext) => void>;

type Verb = keyof typeof verbs;
const isVerb = (name: string | undefined): name is Verb => name !== undefined && Object.hasOwn(verbs, name);

/**
 * The verbs to set up for `argv`: only the one being run when the first argument names one
 * (setting up all twelve adds some 3 ms to every start), else all, for the help, the suggestion
 * after a mistyped verb, and `--version`.
 */
export function verbsFor(argv: readonly string[]): Verb[] {
  const first = argv[2];
  return isVerb(first) ? [first] : (Object.keys(verbs) as Verb[]);
}

/** Builds the `latchkey` command with the verbs `context.argv` needs (see verbsFor). */
export function buildProgram(context: CommandContext): Command {
  const program = new Command('latchkey')
    .description('Log in once through single sign-on; hand the session to your scripts and tools.')
    .version(latchkeyVersion, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    // Help and usage errors go where the command's own output goes (the subcommands inherit this).
    .configureOutput({
      writeOut: (text) => context.deps.stdout.write(text),
      writeErr: (text) => context.deps.stderr.write(text),
    })
    .addHelpText(
      'after',
      `
SITE is a site id, name, host or URL; LATCHKEY_SITE sets the one used when none is given (else
the default site). LATCHKEY_HOME chooses the home (one agent per home); LATCHKEY_AGENT points at
another agent's discovery file. Run \`latchkey COMMAND --help\` for a command's options.

Exit codes: 0 ok, 1 error, 2 usage, 3 agent not running, 4 login required, 5 refused by the
agent, 124 login timed out, 130 interrupted.`,
    );
  for (const verb of verbsFor(context.argv)) verbs[verb](program, context);
  return program;
}

/** Runs `context.argv` through the program; help and version are exit 0, usage mistakes exit 2. */
export async function runProgram(context: CommandContext): Promise<void> {
  try {
    await buildProgram(context).parseAsync(context.argv);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    context.setExitCode(error.exitCode === 0 ? exitCodes.ok : exitCodes.usage);
  }
}
