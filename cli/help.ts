import { helpOption } from './arguments.ts';
import type { Command, OptionSpec } from './command.ts';
import type { Verb } from './verbs.ts';
import { exitCodeHelp } from './exit-codes.ts';

function optionLabel(option: OptionSpec): string {
  const long = `--${option.name}${option.value === undefined ? '' : ` ${option.value}`}`;
  return option.short === undefined ? `    ${long}` : `-${option.short}, ${long}`;
}

function table(rows: Array<[string, string]>): string {
  const width = Math.min(28, Math.max(...rows.map(([label]) => label.length)));
  return rows.map(([label, text]) => (label.length > width ? `  ${label}\n  ${''.padEnd(width)}  ${text}` : `  ${label.padEnd(width)}  ${text}`)).join('\n');
}

/** The usage line of a command: `latchkey sites add [options] URL`. */
export function usageLine(path: string, command: Command<unknown>): string {
  const operands = command.operands.map((operand) => (operand.optional === true ? `[${operand.name}]` : operand.name));
  if (command.takesCommand === true) operands.push('-- CMD [ARGS...]');
  return `Usage: latchkey ${path}${command.options.length > 0 ? ' [options]' : ''}${operands.length > 0 ? ` ${operands.join(' ')}` : ''}`;
}

/** A command's help: usage, what it does, its operands and options, details and examples. */
export function commandHelp(path: string, summary: string, command: Command<unknown>): string {
  const parts = [usageLine(path, command), '', `${summary[0]?.toUpperCase() ?? ''}${summary.slice(1)}.`];
  if (command.operands.length > 0) parts.push('', 'Operands:', table(command.operands.map((operand) => [operand.name, operand.description])));
  parts.push('', 'Options:', table([...command.options, helpOption].map((option) => [optionLabel(option), option.description])));
  if (command.details !== undefined) parts.push('', command.details.trim());
  if (command.examples.length > 0) parts.push('', 'Examples:', ...command.examples.map((example) => `  ${example}`));
  return parts.join('\n') + '\n';
}

/** A group's help (`latchkey sites --help`): its verbs. */
export function groupHelp(path: string, group: Verb): string {
  const verbs = group.verbs ?? [];
  return [
    `Usage: latchkey ${path} [COMMAND] [options]`,
    '',
    `${group.summary[0]?.toUpperCase() ?? ''}${group.summary.slice(1)}.${group.defaultVerb === undefined ? '' : ` Without a COMMAND: ${group.defaultVerb}.`}`,
    '',
    'Commands:',
    table(verbs.map((verb) => [verb.name, verb.summary])),
    '',
    `Run \`latchkey ${path} COMMAND --help\` for a command's options.`,
  ].join('\n') + '\n';
}

/** The top help: every verb, the environment, the exit codes. */
export function topHelp(verbs: readonly Verb[]): string {
  return `Usage: latchkey COMMAND [options]

Log in once through single sign-on; hand the session to your scripts and tools.

Commands:
${table(verbs.map((verb) => [verb.name, verb.summary]))}

Options:
${table([['-h, --help', 'show this help'], ['-V, --version', "print Latchkey's version"]])}

SITE is a site id, name, host or URL. Environment: LATCHKEY_SITE names the site used when none is
given (else the default site); LATCHKEY_HOME chooses the home (one agent per home); LATCHKEY_AGENT
points at another agent's discovery file; LATCHKEY_NO_PROMPT=1 never opens a login window;
LATCHKEY_SESSION (with LATCHKEY_SITE_URL) hands a session to the commands without an agent.
Run \`latchkey COMMAND --help\` for a command's options.

${exitCodeHelp}
`;
}
