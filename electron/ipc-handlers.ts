import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { Logger } from '../core/log.ts';
import { uiOperationNames } from '../core/common/operations.ts';
import type { OperationHandlers } from '../core/operations/inputs.ts';
import { refusedSender, runUiOperation } from './common/ipc-call.ts';
import { operationChannels } from './common/ipc-channels.ts';
import { isTrustedSender, type IpcSender } from './common/ipc-sender.ts';

function senderOf(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  return { webContentsId: event.sender.id, frameUrl: frame?.url ?? null, topFrame: frame !== null && frame.parent === null };
}

/**
 * Serves the Bridge over IPC: one handler per UI operation, on the channels of the shared table.
 * Each checks the sender, then lets runUiOperation validate and call the engine's handlers: thin
 * on purpose, so that the agent API and the app window can never behave differently.
 * See https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages
 * Returns the function that removes the handlers.
 */
export function registerIpcHandlers(handlers: OperationHandlers, appWebContentsId: () => number | null, logger: Logger): () => void {
  for (const name of uiOperationNames) {
    ipcMain.handle(operationChannels[name], async (event, request: unknown) => {
      if (!isTrustedSender(senderOf(event), appWebContentsId())) {
        logger.warn('refused an IPC call from outside the app window', { operation: name });
        return refusedSender();
      }
      return runUiOperation(handlers, name, request);
    });
  }
  return () => {
    for (const name of uiOperationNames) ipcMain.removeHandler(operationChannels[name]);
  };
}
