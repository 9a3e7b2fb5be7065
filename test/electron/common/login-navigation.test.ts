import { describe, expect, it } from 'vitest';
import { loginWindowTitle, mayNavigate } from '../../../electron/common/login-navigation.ts';

describe('mayNavigate', () => {
  const cases: { url: string; top: boolean; frame: boolean; why: string }[] = [
    { url: 'https://idp.example.com/login', top: true, frame: true, why: 'an https page' },
    { url: 'http://studio.localhost:8080/auth/landing', top: true, frame: true, why: 'an http page' },
    { url: 'about:blank', top: false, frame: true, why: 'a blank document' },
    { url: 'about:srcdoc', top: false, frame: true, why: 'an inline frame document' },
    { url: 'data:text/html,<p>x</p>', top: false, frame: true, why: 'a data document' },
    { url: 'blob:https://idp.example.com/0b9f', top: false, frame: true, why: 'a blob document' },
    { url: 'file:///etc/passwd', top: false, frame: false, why: 'a local file' },
    { url: 'mailto:help@example.com', top: false, frame: false, why: 'a mail link' },
    { url: 'zoommtg://zoom.us/join?confno=1', top: false, frame: false, why: "an installed app's scheme" },
    { url: 'ms-teams:/l/meetup-join', top: false, frame: false, why: 'another app scheme' },
    { url: 'javascript:alert(1)', top: false, frame: false, why: 'a javascript: URL' },
    { url: 'latchkey://login?site=x', top: false, frame: false, why: "Latchkey's own deep link" },
    { url: 'app://latchkey/index.html', top: false, frame: false, why: "the app's renderer" },
    { url: 'not a url', top: false, frame: false, why: 'no URL at all' },
  ];
  for (const { url, top, frame, why } of cases) {
    it(`${top ? 'lets' : 'does not let'} the top frame, and ${frame ? 'lets' : 'does not let'} a subframe, go to ${why}`, () => {
      expect(mayNavigate(url, true)).toBe(top);
      expect(mayNavigate(url, false)).toBe(frame);
    });
  }
});

describe('loginWindowTitle', () => {
  it('names the host of an https page', () => {
    expect(loginWindowTitle('Log in to Studio', 'https://idp.example.com:8443/login?x=1')).toBe('Log in to Studio — idp.example.com:8443');
  });

  it('names the whole origin of an http page, so that the scheme shows', () => {
    expect(loginWindowTitle('Log in to Studio', 'http://studio.localhost:8080/auth/renew')).toBe('Log in to Studio — http://studio.localhost:8080');
  });

  it('shows only the purpose for anything else', () => {
    expect(loginWindowTitle('Log in to Studio', 'about:blank')).toBe('Log in to Studio');
    expect(loginWindowTitle('Log in to Studio', 'nonsense')).toBe('Log in to Studio');
  });
});
