import { LatchkeyError } from '../core/errors.ts';
import { redactSecrets } from '../core/log.ts';
import { CliError } from './cli-error.ts';
import { AgentError } from './client/agent-error.ts';

/** Prints an error for a person: its message and what to do, never a stack or a secret. */
export function printError(error: unknown, stream: NodeJS.WritableStream): void {
  if (error instanceof LatchkeyError || error instanceof AgentError || error instanceof CliError) {
    stream.write(redactSecrets(`latchkey: ${error.message}\n`));
    if (error.hint) stream.write(redactSecrets(`hint: ${error.hint}\n`));
    return;
  }
  // A bug, not a user error: show it, through the secret filter like every log line.
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  stream.write(redactSecrets(`latchkey: unexpected error: ${text}\n`));
}
