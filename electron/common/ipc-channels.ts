import { uiOperationNames, type UiOperationName } from '../../core/common/operations.ts';

// The one IPC channel table, derived from the Bridge's operation list (core/operations/bridge.ts):
// the preload and the main process both read it, so a channel cannot be named twice in two ways.
// GitHub Desktop keeps its channels in one shared map for the same reason.

/** The channel that carries engine events from the main process to the app window. */
export const eventChannel = 'latchkey:event';

/** The invoke channel of one UI operation. */
export type OperationChannel<N extends UiOperationName = UiOperationName> = `latchkey:op:${N}`;

/** Every UI operation's invoke channel, by operation name. */
export const operationChannels: Readonly<{ [N in UiOperationName]: OperationChannel<N> }> = Object.freeze(
  Object.fromEntries(uiOperationNames.map((name) => [name, `latchkey:op:${name}`])) as { [N in UiOperationName]: OperationChannel<N> },
);

const known: ReadonlySet<string> = new Set(uiOperationNames);

/**
 * True for the names of the operations the UI may call. Checked at run time on both sides of IPC:
 * the renderer is untrusted input, whatever its TypeScript types said.
 */
export function isUiOperationName(value: unknown): value is UiOperationName {
  return typeof value === 'string' && known.has(value);
}
