import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appContentSecurityPolicy, contentTypeOf, resolveAppFile } from '../../../electron/common/app-files.ts';

const root = join(mkdtempSync(join(tmpdir(), 'latchkey-renderer-')), 'renderer');

describe('resolveAppFile', () => {
  const served: { url: string; file: string; why: string }[] = [
    { url: 'app://latchkey/', file: 'index.html', why: 'the root as the index page' },
    { url: 'app://latchkey', file: 'index.html', why: 'no path as the index page' },
    { url: 'app://latchkey/index.html', file: 'index.html', why: 'the index page' },
    { url: 'app://latchkey/assets/index-abc123.js', file: 'assets/index-abc123.js', why: 'an asset' },
    { url: 'app://latchkey/assets/index.css?v=1#top', file: 'assets/index.css', why: 'an asset with a query and a fragment' },
    { url: 'app://latchkey/assets/a%20b.svg', file: 'assets/a b.svg', why: 'an escaped space' },
    { url: 'app://latchkey/assets/../index.html', file: 'index.html', why: 'a dot-dot segment that URL parsing resolves inside the root' },
    { url: 'app://latchkey/../../etc/passwd', file: 'etc/passwd', why: 'dot-dot segments above the root, which URL parsing clamps to the root' },
    { url: 'app://latchkey/%2e%2e/%2e%2e/etc/passwd', file: 'etc/passwd', why: 'escaped dot-dot segments, which URL parsing also resolves and clamps' },
    { url: 'app://latchkey/%2e/index.html', file: 'index.html', why: 'an escaped dot segment, which URL parsing resolves' },
    { url: 'app://latchkey/assets/%252e%252e/x.js', file: 'assets/%2e%2e/x.js', why: 'a doubly escaped dot-dot, decoded once to a plain name' },
  ];
  for (const { url, file, why } of served) {
    it(`serves ${why}`, () => {
      expect(resolveAppFile(root, url)).toBe(join(root, file));
    });
  }

  const refused: { url: string; why: string }[] = [
    { url: 'app://latchkey/assets/..%2f..%2f..%2fetc%2fpasswd', why: 'an escaped slash hiding dot-dot segments' },
    { url: 'app://latchkey/..%5c..%5cetc%5cpasswd', why: 'escaped backslashes' },
    { url: 'app://latchkey/index.html%00.png', why: 'a NUL byte' },
    { url: 'app://latchkey/%E0%A4%A', why: 'a broken escape' },
    { url: 'app://evil/index.html', why: 'another host' },
    { url: 'app://latchkey.evil/index.html', why: 'a look-alike host' },
    { url: 'app://latchkey:1/index.html', why: 'a port' },
    { url: 'app://user@latchkey/index.html', why: 'a user name' },
    { url: 'file:///etc/passwd', why: 'another scheme' },
    { url: 'app:index.html', why: 'no host' },
    { url: 'nonsense', why: 'no URL at all' },
  ];
  for (const { url, why } of refused) {
    it(`refuses ${why}`, () => {
      expect(resolveAppFile(root, url)).toBeNull();
    });
  }
});

describe('contentTypeOf', () => {
  it('gives module scripts a JavaScript type, which Chromium requires of ES modules', () => {
    expect(contentTypeOf('/r/assets/index.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('/r/index.HTML')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('/r/assets/index.css')).toBe('text/css; charset=utf-8');
  });

  it('serves no kind of file the renderer does not ship', () => {
    expect(contentTypeOf('/r/secrets.env')).toBeNull();
    expect(contentTypeOf('/r/no-extension')).toBeNull();
  });
});

describe('appContentSecurityPolicy', () => {
  const directives = new Map(appContentSecurityPolicy.split('; ').map((part) => [part.split(' ')[0], part.split(' ').slice(1).join(' ')]));

  it('allows no inline script, eval or remote origin anywhere', () => {
    expect(appContentSecurityPolicy).not.toMatch(/unsafe-|https?:|\*/);
  });

  it('starts from nothing and allows only the app itself for code and styles', () => {
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('style-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'none'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'none'");
  });
});
