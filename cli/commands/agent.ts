import { homePaths, hostName, latchkeyHome } from '../../core/home.ts';
import { stringValue } from '../arguments.ts';
import { defineCommand } from '../command.ts';
import { untilAborted, type CommandDeps } from '../deps.ts';
import { exitCodes } from '../exit-codes.ts';
import { latchkeyVersion } from '../version.ts';

/** Options of `latchkey agent`. */
export interface AgentOptions {
  /** Keep every login window hidden (automation, or a machine without a desktop and an auto-login IdP). */
  headless: boolean;
  /** Also write the log to stderr. */
  verbose: boolean;
  /** Log at debug level (still without secrets); also LATCHKEY_DEBUG=1. */
  debug: boolean;
  /** The home to serve instead of LATCHKEY_HOME's (a service entry names it: some managers pass no environment). */
  home: string | null;
  /** This machine's name in the home instead of LATCHKEY_HOST's (a service entry names it, as it names the home). */
  host: string | null;
}

/**
 * Runs the engine headless and serves the agent API for the home until Ctrl-C, SIGTERM or
 * `latchkey agent stop`, then closes cleanly (exit 0). A home that already has an agent is refused (exit 1, naming its pid).
 */
async function runAgent(options: AgentOptions, deps: CommandDeps): Promise<number> {
  const home = options.home ?? latchkeyHome(deps.env);
  // Loaded here: the engine brings the browser driver, which no other command needs.
  const [{ startAgentHost }, { keyringFor }] = await Promise.all([import('../../core/agent/agent-host.ts'), import('../../core/sessions/keyring-vault.ts')]);
  const stopRequested = Promise.withResolvers<void>();
  const machine = hostName(options.host === null ? deps.env : { LATCHKEY_HOST: options.host });
  const host = await startAgentHost({
    home,
    host: machine,
    version: latchkeyVersion,
    headless: options.headless,
    onStopRequest: () => stopRequested.resolve(),
    // Sessions sealed with a key in the OS keyring; LATCHKEY_KEYRING=none keeps the plaintext file.
    keyring: await keyringFor(deps.env),
    logLevel: options.debug || deps.env['LATCHKEY_DEBUG'] === '1' ? 'debug' : 'info',
    ...(options.verbose ? { logSinks: [(line: string) => deps.stderr.write(line + '\n')] } : {}),
  });
  const { server } = host;
  deps.stderr.write(
    `Latchkey agent ${latchkeyVersion} (pid ${process.pid}) serving ${home} as host ${machine}\n` +
      `  socket     ${server.socketPath}\n` +
      `  tcp        127.0.0.1:${server.port}\n` +
      `  discovery  ${server.discoveryPath}\n` +
      `  log        ${homePaths(home, machine).log}\n` +
      `Stop it with Ctrl-C or \`latchkey agent stop\`.\n`,
  );
  await Promise.race([untilAborted(deps.signal), stopRequested.promise]);
  deps.stderr.write('Stopping the agent…\n');
  await host.close();
  deps.stderr.write('Agent stopped.\n');
  return exitCodes.ok;
}

/** `latchkey agent`: the engine, headless, serving the agent API for the home until Ctrl-C or SIGTERM. */
export const command = defineCommand<AgentOptions>({
  operands: [],
  options: [
    { name: 'headless', description: 'keep login windows hidden, interactive ones too' },
    { name: 'verbose', description: 'also write the log to stderr' },
    { name: 'debug', description: 'log every request and step at debug level (never a secret); also LATCHKEY_DEBUG=1' },
    { name: 'home', value: 'DIR', description: 'serve this Latchkey home (default: LATCHKEY_HOME, else the app-data folder)', complete: 'files' },
    { name: 'host', value: 'NAME', description: "this machine's name in the home (default: LATCHKEY_HOST, else the host name)" },
  ],
  details: `Serves the agent API on a private unix socket and on 127.0.0.1 for LATCHKEY_HOME (or the app-data
folder), announced in hosts/<host>/agent.json; runs until Ctrl-C, SIGTERM or \`latchkey agent stop\`. One
agent per home and host (a home may be shared by several machines): a second one exits 1 naming the
running one's pid. LATCHKEY_BROWSER picks the browser.
Commands that need an agent start one like this in the background when none runs.`,
  examples: ['latchkey agent', 'LATCHKEY_HOME=/tmp/lk latchkey agent run --verbose'],
  read: (args) => ({ headless: args.values['headless'] === true, verbose: args.values['verbose'] === true, debug: args.values['debug'] === true, home: stringValue(args.values['home']) ?? null, host: stringValue(args.values['host']) ?? null }),
  run: runAgent,
});
