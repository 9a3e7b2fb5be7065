import { describe, expect, it } from 'vitest';
import { isAppUrl, isTrustedSender, type IpcSender } from '../../../electron/common/ipc-sender.ts';

const appWindowId = 7;
const trusted: IpcSender = { webContentsId: appWindowId, frameUrl: 'app://latchkey/index.html', topFrame: true };

describe('isTrustedSender', () => {
  it('trusts the app window top frame at the app origin', () => {
    expect(isTrustedSender(trusted, appWindowId)).toBe(true);
  });

  const refused: { sender: IpcSender; appId: number | null; why: string }[] = [
    { sender: { ...trusted, webContentsId: 8 }, appId: appWindowId, why: 'another webContents (a login window)' },
    { sender: trusted, appId: null, why: 'any sender while there is no app window' },
    { sender: { ...trusted, topFrame: false }, appId: appWindowId, why: 'a subframe of the app window' },
    { sender: { ...trusted, frameUrl: null }, appId: appWindowId, why: 'a frame that is gone' },
    { sender: { ...trusted, frameUrl: 'https://evil.example/index.html' }, appId: appWindowId, why: 'the app window navigated to a web page' },
    { sender: { ...trusted, frameUrl: 'file:///work/dist/renderer/index.html' }, appId: appWindowId, why: 'a file URL' },
    { sender: { ...trusted, frameUrl: 'app://latchkey.evil/index.html' }, appId: appWindowId, why: 'a look-alike app host' },
    { sender: { ...trusted, frameUrl: 'app://evil/index.html' }, appId: appWindowId, why: 'another app host' },
    { sender: { ...trusted, frameUrl: 'app://latchkey:8080/index.html' }, appId: appWindowId, why: 'the app host with a port' },
    { sender: { ...trusted, frameUrl: 'app://user@latchkey/index.html' }, appId: appWindowId, why: 'the app host with a user name' },
    { sender: { ...trusted, frameUrl: 'about:blank' }, appId: appWindowId, why: 'about:blank' },
    { sender: { ...trusted, frameUrl: 'not a url' }, appId: appWindowId, why: 'a URL that does not parse' },
  ];
  for (const { sender, appId, why } of refused) {
    it(`refuses ${why}`, () => {
      expect(isTrustedSender(sender, appId)).toBe(false);
    });
  }
});

describe('isAppUrl', () => {
  it('accepts any path at the app origin', () => {
    expect(isAppUrl('app://latchkey/')).toBe(true);
    expect(isAppUrl('app://latchkey/assets/index.js?x=1#y')).toBe(true);
  });

  it('refuses the app origin under another scheme', () => {
    expect(isAppUrl('apps://latchkey/')).toBe(false);
    expect(isAppUrl('http://latchkey/')).toBe(false);
  });
});
