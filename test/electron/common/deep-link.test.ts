import { describe, expect, it } from 'vitest';
import { deepLinkFromArgv, parseDeepLink } from '../../../electron/common/deep-link.ts';

describe('parseDeepLink', () => {
  const accepted: { link: string; site: string; why: string }[] = [
    { link: 'latchkey://login?site=mystudio', site: 'mystudio', why: 'a site id' },
    { link: 'latchkey://login/?site=mystudio', site: 'mystudio', why: 'with a trailing slash' },
    { link: 'LATCHKEY://login?site=mystudio', site: 'mystudio', why: 'with an upper-case scheme (URL lower-cases it)' },
    { link: 'latchkey://login?site=https%3A%2F%2Fstudio.example.com', site: 'https://studio.example.com', why: 'a URL-encoded site URL' },
    { link: 'latchkey://login?site=My+Studio', site: 'My Studio', why: 'a name with a space' },
    { link: 'latchkey://login?site=%20mystudio%20', site: 'mystudio', why: 'surrounding spaces trimmed' },
  ];
  for (const { link, site, why } of accepted) {
    it(`accepts ${why}`, () => {
      expect(parseDeepLink(link)).toEqual({ action: 'login', site });
    });
  }

  const refused: { link: string; why: string }[] = [
    { link: 'https://login?site=mystudio', why: 'another scheme' },
    { link: 'latchkeyx://login?site=mystudio', why: 'a scheme that only starts like ours' },
    { link: 'latchkey:login?site=mystudio', why: 'no authority' },
    { link: 'latchkey://logout?site=mystudio', why: 'another action' },
    { link: 'latchkey://LOGIN?site=mystudio', why: 'the action in another case' },
    { link: 'latchkey://login.evil.com?site=mystudio', why: 'a host that starts like the action' },
    { link: 'latchkey://user@login?site=mystudio', why: 'a user name' },
    { link: 'latchkey://user:secret@login?site=mystudio', why: 'credentials' },
    { link: 'latchkey://login:8080?site=mystudio', why: 'a port' },
    { link: 'latchkey://login/extra?site=mystudio', why: 'a path' },
    { link: 'latchkey://login//?site=mystudio', why: 'an empty path segment' },
    { link: 'latchkey://login?site=mystudio#x', why: 'a fragment' },
    { link: 'latchkey://login', why: 'no site' },
    { link: 'latchkey://login?site=', why: 'an empty site' },
    { link: 'latchkey://login?site=%20', why: 'a blank site' },
    { link: 'latchkey://login?site=a&site=b', why: 'the site twice' },
    { link: 'latchkey://login?site=a&force=true', why: 'another parameter' },
    { link: 'latchkey://login?id=a', why: 'another parameter instead of site' },
    { link: 'latchkey://login?site=a%0Ab', why: 'a newline in the site' },
    { link: 'latchkey://login?site=a%00b', why: 'a NUL in the site' },
    { link: 'latchkey://login?site=\tmystudio', why: 'a raw tab, which URL parsing would drop' },
    { link: `latchkey://login?site=${'a'.repeat(600)}`, why: 'an overlong site' },
    { link: `latchkey://login?site=a&${'x'.repeat(2100)}`, why: 'an overlong link' },
    { link: 'not a url', why: 'no URL at all' },
  ];
  for (const { link, why } of refused) {
    it(`refuses ${why}`, () => {
      expect(parseDeepLink(link)).toBeNull();
    });
  }
});

describe('deepLinkFromArgv', () => {
  it('finds the link among Electron and Chromium arguments', () => {
    expect(deepLinkFromArgv(['/opt/Latchkey/latchkey', '--no-sandbox', 'latchkey://login?site=a'])).toBe('latchkey://login?site=a');
  });

  it('finds a link whose scheme is in upper case', () => {
    expect(deepLinkFromArgv(['latchkey', 'LATCHKEY://login?site=a'])).toBe('LATCHKEY://login?site=a');
  });

  it('returns the first of several links', () => {
    expect(deepLinkFromArgv(['app', 'latchkey://login?site=a', 'latchkey://login?site=b'])).toBe('latchkey://login?site=a');
  });

  it('returns null when no argument is a link', () => {
    expect(deepLinkFromArgv(['app', '.', '--flag=latchkey://login?site=a'])).toBeNull();
  });
});
