import { BrowserWindow } from 'electron';
import { answerUrl, credentialPage } from './common/credential-page.ts';

/** What the person typed into a credential prompt. */
export interface Credentials {
  username: string;
  password: string;
}

/**
 * Asks the person for a user name and password for a server's Basic or Digest challenge, in a
 * small window over the login window (Electron cancels such a request unless the app answers
 * it). Resolves with what they typed, or null when they cancel or close the prompt.
 */
export function askForCredentials(parent: BrowserWindow, host: string, realm: string): Promise<Credentials | null> {
  return new Promise((resolve) => {
    const prompt = new BrowserWindow({
      parent,
      modal: true,
      width: 400,
      height: 300,
      resizable: false,
      minimizable: false,
      title: `Sign in to ${host}`,
      autoHideMenuBar: true,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, spellcheck: false },
    });
    let answered = false;
    const answer = (credentials: Credentials | null): void => {
      if (answered) return;
      answered = true;
      resolve(credentials);
      if (!prompt.isDestroyed()) prompt.destroy();
    };
    prompt.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    prompt.webContents.on('will-navigate', (event) => {
      event.preventDefault();
      if (!event.url.startsWith(`${answerUrl}?`)) return answer(null);
      const form = new URL(event.url).searchParams;
      answer(form.get('answer') === 'sign-in' ? { username: form.get('username') ?? '', password: form.get('password') ?? '' } : null);
    });
    prompt.on('closed', () => answer(null));
    void prompt.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(credentialPage(host, realm))}`);
  });
}
