import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Bridge } from '../core/common/operations.ts';
import type { AgentEvent } from '../core/common/views.ts';
import { eventChannel, isUiOperationName, operationChannels } from './common/ipc-channels.ts';

// The whole of what the renderer gets: the Bridge (core/operations/bridge.ts), exposed through
// the context bridge as `window.latchkey`. No ipcRenderer, no channel names, no Node: each method
// sends only to its own channel of the shared table, and the main process checks everything again.
// See https://www.electronjs.org/docs/latest/tutorial/context-isolation#security-considerations
// and https://www.electronjs.org/docs/latest/tutorial/security#20-do-not-expose-electron-apis-to-untrusted-web-content

const bridge: Bridge = {
  call: (name, request) => {
    if (!isUiOperationName(name)) {
      return Promise.resolve({ ok: false as const, error: { code: 'not_found' as const, message: 'No such operation for the Latchkey app window.' } });
    }
    return ipcRenderer.invoke(operationChannels[name], request);
  },
  onEvent: (listener) => {
    const forward = (_event: IpcRendererEvent, payload: AgentEvent): void => listener(payload);
    ipcRenderer.on(eventChannel, forward);
    return () => {
      ipcRenderer.removeListener(eventChannel, forward);
    };
  },
};

contextBridge.exposeInMainWorld('latchkey', bridge);
