import { describe, expect, it } from 'vitest';
import { reservedSiteIds, siteIdFor } from '../../../core/sites/site-id.ts';

describe('siteIdFor', () => {
  const cases: { url: string; taken: string[]; id: string }[] = [
    { url: 'https://studio.example.com', taken: [], id: 'studio' },
    { url: 'https://Studio.Example.com', taken: [], id: 'studio' },
    { url: 'https://studio.example.com:8443', taken: [], id: 'studio-8443' },
    { url: 'https://studio.example.com', taken: ['studio'], id: 'studio-2' },
    { url: 'https://studio.example.com', taken: ['studio', 'studio-2'], id: 'studio-3' },
    { url: 'https://studio.example.com', taken: ['Studio'], id: 'studio-2' },
    { url: 'https://studio.example.com', taken: ['studio-2'], id: 'studio' },
    { url: 'http://127.0.0.1:8080', taken: [], id: '127-0-0-1-8080' },
    { url: 'http://127.0.0.1', taken: [], id: '127-0-0-1' },
    { url: 'http://[::1]:8080', taken: [], id: 'ipv6-1-8080' },
    { url: 'https://[2001:db8::1]', taken: [], id: 'ipv6-2001-db8-1' },
    { url: 'http://localhost:3000', taken: [], id: 'localhost-3000' },
    { url: 'http://lab.localhost:3000', taken: [], id: 'lab-3000' },
    { url: 'https://intra_net.example.com', taken: [], id: 'intra-net' },
    { url: 'https://bücher.example', taken: [], id: 'xn--bcher-kva' },
    { url: 'https://default.example.com', taken: [], id: 'default-2' },
    { url: 'https://default.example.com', taken: ['default-2'], id: 'default-3' },
    { url: 'https://default.example.com:8443', taken: [], id: 'default-8443' },
    { url: `https://${'a'.repeat(60)}.example.com`, taken: [], id: 'a'.repeat(40) },
  ];
  for (const { url, taken, id } of cases) {
    it(`gives ${url} the id ${id} when ${JSON.stringify(taken)} are taken`, () => {
      expect(siteIdFor(url, taken)).toBe(id);
    });
  }

  it('only ever returns lower-case letters, digits and dashes', () => {
    for (const url of ['https://A_B.example.com', 'https://x--y.example.com:1234', 'http://[::1]', 'https://bücher.example']) {
      expect(siteIdFor(url, [])).toMatch(/^[a-z0-9]+(?:-+[a-z0-9]+)*$/);
    }
  });

  it('accepts any iterable of taken ids', () => {
    expect(siteIdFor('https://studio.example.com', new Set(['studio']))).toBe('studio-2');
  });

  it('never returns a reserved id', () => {
    expect(reservedSiteIds.has('default')).toBe(true);
    expect(siteIdFor('https://default.example.com', [])).not.toBe('default');
  });

  it('is stable: the same URL and taken ids give the same id', () => {
    expect(siteIdFor('https://studio.example.com', ['a'])).toBe(siteIdFor('https://studio.example.com', ['a']));
  });

  it('throws a TypeError for something that is not a site URL', () => {
    expect(() => siteIdFor('studio', [])).toThrow(TypeError);
    expect(() => siteIdFor('mailto:a@example.com', [])).toThrow(TypeError);
  });
});
