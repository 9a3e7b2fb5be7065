import { LatchkeyError } from '../../core/common/errors.ts';

/** The hint every "no agent" error carries. */
export const startAgentHint = 'Start it with `latchkey agent` or the desktop app.';

/** The error for an agent that is not there: no discovery file, or nothing answering at its addresses. */
export function agentNotRunning(message: string, cause?: unknown): LatchkeyError {
  return new LatchkeyError('agent_not_running', message, { hint: startAgentHint, cause });
}
