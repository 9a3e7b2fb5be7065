import { describe, expect, it } from 'vitest';
import { forDisplay, forTerminal, hasHiddenCharacters, siteForDisplay } from '../../../core/common/display-text.ts';
import type { SiteView } from '../../../core/common/views.ts';
import { shotgridProfile } from '../../../core/common/presets.ts';
import { hiddenCharacters, hostileTexts } from '../../support/hidden-characters.ts';

const site = (name: string, user: string | null): SiteView => ({
  id: 'studio',
  name,
  url: 'https://studio.example.com',
  default: true,
  profile: shotgridProfile,
  session: { state: 'valid', user, expiresAt: null, obtainedAt: null },
  loggingIn: false,
});

describe('text shown to a person', () => {
  const all = hiddenCharacters();

  it('finds every control and format character of Unicode (C0, C1, DEL, Cf, U+2028, U+2029)', () => {
    // Counted, not listed: a Unicode update may add format characters, never remove these.
    expect(all.length).toBeGreaterThanOrEqual(65 + 160);
    for (const known of ['\u0000', '\u001b', '\u007f', '\u0085', '\u009b', '\u00ad', '\u061c', '\u200b', '\u200e', '\u202e', '\u2066', '\u2069', '\u2028', '\u2029', '\ufeff', '\u{e0001}']) {
      expect(all).toContain(known);
    }
  });

  it('replaces each of them with U+FFFD, keeping everything else', () => {
    const left = all.filter((character) => hasHiddenCharacters(forDisplay(`a${character}b`)) || forDisplay(`a${character}b`) !== 'a\ufffdb');
    expect(left.map((character) => character.codePointAt(0)?.toString(16))).toEqual([]);
    expect(all.every((character) => hasHiddenCharacters(`a${character}b`))).toBe(true);
    expect(forDisplay('Ada Lovelace – São Paulo 東京 🙂')).toBe('Ada Lovelace – São Paulo 東京 🙂');
  });

  it('in a terminal keeps line breaks and tabs of a longer text, and nothing else hidden', () => {
    expect(forTerminal('line one\n\tline two\u001b[2J\u202e')).toBe('line one\n\tline two\ufffd[2J\ufffd');
  });

  it('of a site, in the UI, the tray and notifications, has its name and label cleaned; the JSON of the API keeps them exact', () => {
    for (const text of hostileTexts) {
      const shown = siteForDisplay(site(text, text));
      expect(hasHiddenCharacters(shown.name) || hasHiddenCharacters(shown.session.user ?? '')).toBe(false);
      expect(JSON.parse(JSON.stringify(site(text, text))).name).toBe(text);
    }
    expect(siteForDisplay(site('Studio', null)).session.user).toBeNull();
  });
});
