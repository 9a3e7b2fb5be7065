import { errorBodyOf, LatchkeyError } from '../../core/common/errors.ts';
import type { BridgeResult, OperationName } from '../../core/common/operations.ts';
import { parseInput } from '../../core/agent/request-input.ts';
import type { Caller, OperationHandlers } from '../../core/operations/inputs.ts';
import { isUiOperationName } from './ipc-channels.ts';

/** The caller every IPC call is recorded as: the desktop app's own window. */
export const appCaller: Caller = { client: 'Latchkey app' };

type AnyHandler = (input: unknown, caller: Caller) => Promise<unknown>;

/** An IPC error result from anything thrown: a LatchkeyError's code, message and hint; anything else is `internal`. */
export function errorResult(error: unknown): BridgeResult<never> {
  const { code, message, hint } = errorBodyOf(error).error;
  return { ok: false, error: hint === undefined ? { code, message } : { code, message, hint } };
}

/** The result sent to a sender that failed the sender check. */
export function refusedSender(): BridgeResult<never> {
  return errorResult(new LatchkeyError('forbidden', 'Only the Latchkey app window may call Latchkey over IPC.', { hint: 'Use the Latchkey window, the `latchkey` command or the agent API.' }));
}

/**
 * Runs one UI operation for the app window: the name is checked against the Bridge's list
 * (`getSession` is not on it, so no session value ever reaches the renderer), the request is
 * validated with the operation's schema, exactly as the agent API does, and the outcome travels as
 * data with the same error codes (no HTTP status: IPC is not HTTP), because Electron carries only
 * an error's message across IPC.
 * See https://www.electronjs.org/docs/latest/api/ipc-main#ipcmainhandlechannel-listener
 */
export async function runUiOperation(handlers: OperationHandlers, name: unknown, request: unknown): Promise<BridgeResult<unknown>> {
  try {
    if (!isUiOperationName(name)) throw new LatchkeyError('not_found', 'No such operation for the Latchkey app window.', { hint: 'The window may call only the operations of its Bridge.' });
    const fields = request === undefined || request === null ? {} : request;
    if (typeof fields !== 'object' || Array.isArray(fields)) {
      throw new LatchkeyError('bad_request', 'The request must be an object of named fields.');
    }
    const input = parseInput(name satisfies OperationName, fields as Record<string, unknown>);
    const handler = handlers[name] as AnyHandler;
    return { ok: true, value: await handler(input, appCaller) };
  } catch (error) {
    return errorResult(error);
  }
}
