import { LatchkeyError } from '../core/common/errors.ts';
import { forDisplay } from '../core/common/display-text.ts';
import { redactSecrets } from '../core/secrets.ts';
import type { TextOut } from './deps.ts';

/**
 * Prints an error for a person: its message and what to do, never a stack or a secret. Messages
 * can quote what a site or the agent said, so they are cleaned for the terminal too.
 */
export function printError(error: unknown, out: TextOut): void {
  const show = (text: string): string => forDisplay(redactSecrets(text));
  if (error instanceof LatchkeyError) {
    out.write(`latchkey: ${show(error.message)}\n`);
    if (error.hint) out.write(`hint: ${show(error.hint)}\n`);
    return;
  }
  // A bug, not a user error: show it, through the secret filter like every log line.
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  out.write(`latchkey: unexpected error: ${show(text)}\n`);
}
