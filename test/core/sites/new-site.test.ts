import { describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../../core/common/errors.ts';
import { newSite } from '../../../core/sites/new-site.ts';
import { shotgridProfile } from '../../../core/common/presets.ts';
import type { LoginProfile } from '../../../core/common/profile.ts';
import type { Site } from '../../../core/sites/site.ts';
import { hiddenCharacters } from '../../support/hidden-characters.ts';

function failure(run: () => unknown): LatchkeyError {
  try {
    run();
  } catch (error) {
    if (error instanceof LatchkeyError) return error;
    throw error;
  }
  throw new Error('expected a LatchkeyError, but nothing was thrown');
}

function site(id: string, url: string, isDefault = false): Site {
  return { id, name: id, url, default: isDefault, profile: { ...shotgridProfile, expiryCookies: [...shotgridProfile.expiryCookies] } };
}

describe('newSite', () => {
  it('builds a ShotGrid site from a bare host alone', () => {
    expect(newSite({ url: 'Studio.Example.com' }, [])).toEqual({
      id: 'studio',
      name: 'studio.example.com',
      url: 'https://studio.example.com',
      default: true,
      profile: shotgridProfile,
    });
  });

  it('names the site after its host and port when no name is given', () => {
    expect(newSite({ url: 'http://localhost:3000' }, []).name).toBe('localhost:3000');
  });

  it('keeps a given name, trimmed', () => {
    expect(newSite({ url: 'https://studio.example.com', name: '  My Studio ' }, []).name).toBe('My Studio');
  });

  it('applies the preset and the profile overrides', () => {
    const created = newSite({ url: 'https://studio.example.com', preset: 'shotgrid', profile: { idleTimeoutMinutes: 60, landingPath: '/done' } }, []);
    expect(created.profile).toEqual({ ...shotgridProfile, idleTimeoutMinutes: 60, landingPath: '/done' });
  });

  it('takes the preset from the profile when not given on its own', () => {
    expect(newSite({ url: 'https://studio.example.com', profile: { preset: 'shotgrid' } }, []).profile.preset).toBe('shotgrid');
  });

  it('makes the first site the default, and later ones not, unless asked', () => {
    const existing = [site('studio', 'https://studio.example.com', true)];
    expect(newSite({ url: 'https://other.example.com' }, existing).default).toBe(false);
    expect(newSite({ url: 'https://other.example.com', default: true }, existing).default).toBe(true);
    expect(newSite({ url: 'https://other.example.com', default: false }, []).default).toBe(false);
    expect(newSite({ url: 'https://other.example.com' }, [site('studio', 'https://studio.example.com')]).default).toBe(true);
  });

  it('picks an id not taken by an existing site', () => {
    const existing = [site('studio', 'https://studio.example.com')];
    expect(newSite({ url: 'https://studio.example.com:8443' }, existing).id).toBe('studio-8443');
    expect(newSite({ url: 'https://studio.example.org' }, existing).id).toBe('studio-2');
  });

  it('does not change the existing sites', () => {
    const existing = [site('studio', 'https://studio.example.com', true)];
    const before = structuredClone(existing);
    newSite({ url: 'https://other.example.com', default: true }, existing);
    expect(existing).toEqual(before);
  });

  const duplicates = ['https://studio.example.com', 'studio.example.com', 'HTTPS://STUDIO.example.com:443/'];
  for (const url of duplicates) {
    it(`refuses ${JSON.stringify(url)} as already registered, naming the site`, () => {
      const error = failure(() => newSite({ url }, [site('mine', 'https://studio.example.com')]));
      expect(error.code).toBe('site_exists');
      expect(error.message).toContain('"mine"');
    });
  }

  it('refuses a URL registered under an older spelling', () => {
    const error = failure(() => newSite({ url: 'https://studio.example.com' }, [site('old', 'https://Studio.example.com:443/')]));
    expect(error.code).toBe('site_exists');
    expect(error.message).toContain('"old"');
  });

  it('accepts the same host on another port', () => {
    expect(newSite({ url: 'https://studio.example.com:8443' }, [site('studio', 'https://studio.example.com')]).url).toBe('https://studio.example.com:8443');
  });

  const invalid: { why: string; input: Parameters<typeof newSite>[0]; code: string; says: string }[] = [
    { why: 'a bad URL', input: { url: 'http://studio.example.com' }, code: 'invalid_site_url', says: 'not a loopback host' },
    { why: 'a URL with a path', input: { url: 'https://studio.example.com/app' }, code: 'invalid_site_url', says: 'has a path' },
    { why: 'a missing URL', input: {} as { url: string }, code: 'invalid_site_url', says: 'missing' },
    { why: 'an unknown preset', input: { url: 'https://s.example.com', preset: 'nope' }, code: 'invalid_site', says: '"nope"' },
    { why: 'disagreeing presets', input: { url: 'https://s.example.com', preset: 'shotgrid', profile: { preset: 'other' } }, code: 'invalid_site', says: 'disagree' },
    { why: 'a null preset', input: { url: 'https://s.example.com', profile: { preset: null } }, code: 'invalid_site', says: 'needs a preset' },
    { why: 'a bad profile field', input: { url: 'https://s.example.com', profile: { landingPath: 'landing' } }, code: 'invalid_site', says: '"landingPath"' },
    { why: 'a blank name', input: { url: 'https://s.example.com', name: '   ' }, code: 'invalid_site', says: 'name is empty' },
    { why: 'a long name', input: { url: 'https://s.example.com', name: 'x'.repeat(101) }, code: 'invalid_site', says: 'longer than 100' },
    { why: 'a name with an escape sequence', input: { url: 'https://s.example.com', name: 'a\u001b[31mb' }, code: 'invalid_site', says: 'control, bidi or invisible characters' },
    { why: 'a name that is not text', input: { url: 'https://s.example.com', name: 7 as unknown as string }, code: 'invalid_site', says: 'must be a string' },
    { why: 'a default that is not a boolean', input: { url: 'https://s.example.com', default: 'yes' as unknown as boolean }, code: 'invalid_site', says: '"default"' },
  ];
  for (const { why, input, code, says } of invalid) {
    it(`refuses ${why}`, () => {
      const error = failure(() => newSite(input, []));
      expect(error.code).toBe(code);
      expect(error.message).toContain(says);
    });
  }

  it('refuses a name holding any control, bidi, zero-width or separator character, wherever it sits', () => {
    const accepted = hiddenCharacters().filter((character) => {
      try {
        newSite({ url: 'https://s.example.com', name: `stu${character}dio` }, []);
        return true;
      } catch (error) {
        return !(error instanceof LatchkeyError && error.code === 'invalid_site');
      }
    });
    expect(accepted.map((character) => character.codePointAt(0)?.toString(16))).toEqual([]);
    expect(newSite({ url: 'https://s.example.com', name: 'Studio – São Paulo 東京' }, []).name).toBe('Studio – São Paulo 東京');
  });

  it('keeps a profile the caller changes afterwards apart from the preset', () => {
    const created = newSite({ url: 'https://s.example.com' }, []);
    (created.profile as LoginProfile).expiryCookies.push('x');
    expect(shotgridProfile.expiryCookies).toHaveLength(2);
  });
});
