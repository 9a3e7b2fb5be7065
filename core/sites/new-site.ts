import { hasHiddenCharacters } from '../common/display-text.ts';
import { LatchkeyError } from '../common/errors.ts';
import { presets } from '../common/presets.ts';
import { profileFromPreset } from './presets.ts';
import type { LoginProfile } from '../common/profile.ts';
import type { Site } from './site.ts';
import { siteIdFor } from './site-id.ts';
import { normaliseSiteUrl } from './site-url.ts';

/** What a caller gives to register a site; everything but `url` has a default. */
export interface NewSiteInput {
  url: string;
  /** Display name; defaults to the host (with its port, if any). */
  name?: string;
  /** Preset name; defaults to `profile.preset`, else `shotgrid`. */
  preset?: string;
  /** Fields that differ from the preset. */
  profile?: Partial<LoginProfile>;
  /** Defaults to true only when no existing site is the default. */
  default?: boolean;
}

const DEFAULT_PRESET = 'shotgrid';
const MAX_NAME_LENGTH = 100;

function invalid(message: string, hint?: string): LatchkeyError {
  return new LatchkeyError('invalid_site', message, hint === undefined ? {} : { hint });
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw invalid('Site name is empty.', 'Give a name, or leave it out to use the host.');
  if (trimmed.length > MAX_NAME_LENGTH) throw invalid(`Site name is longer than ${MAX_NAME_LENGTH} characters.`);
  // Names are shown in the tray menu, the UI and terminal output: a control character could forge
  // a line or an escape sequence there, and a bidi override or an invisible character could make
  // one name read as another.
  if (hasHiddenCharacters(trimmed)) {
    throw invalid('Site name contains control, bidi or invisible characters.', 'Use only characters that show as themselves.');
  }
  return trimmed;
}

function choosePreset(input: NewSiteInput): string {
  const fromProfile = input.profile?.preset;
  if (fromProfile === null) {
    throw invalid('Site profile field "preset" is null; every site needs a preset.', `Known presets: ${Object.keys(presets).join(', ')}.`);
  }
  if (input.preset !== undefined && fromProfile !== undefined && input.preset !== fromProfile) {
    throw invalid(`Preset ${JSON.stringify(input.preset)} and profile field "preset" ${JSON.stringify(fromProfile)} disagree.`);
  }
  return input.preset ?? fromProfile ?? DEFAULT_PRESET;
}

/** The stored URL of `site`, normalised the same way, so an older spelling still counts as taken. */
function comparableUrl(site: Site): string {
  try {
    return normaliseSiteUrl(site.url);
  } catch {
    return site.url;
  }
}

/**
 * Validates a new site against the existing ones and returns it, with its id chosen; throws
 * `invalid_site_url`, `invalid_site`, or `site_exists` naming the site already at that URL. It does
 * not change `existing`: when the new site is the default, the caller clears the old default.
 */
export function newSite(input: NewSiteInput, existing: Site[]): Site {
  if (typeof input.url !== 'string') throw new LatchkeyError('invalid_site_url', 'Site URL is missing.');
  const url = normaliseSiteUrl(input.url);
  const clash = existing.find((site) => comparableUrl(site) === url);
  if (clash !== undefined) {
    throw new LatchkeyError('site_exists', `Site ${JSON.stringify(clash.id)} already has the URL ${url}.`, {
      hint: `Use the site ${JSON.stringify(clash.id)}, or remove it first.`,
    });
  }
  if (input.name !== undefined && typeof input.name !== 'string') throw invalid('Site name must be a string.');
  if (input.default !== undefined && typeof input.default !== 'boolean') throw invalid('Site field "default" must be true or false.');
  const profile = profileFromPreset(choosePreset(input), input.profile ?? {});
  return {
    id: siteIdFor(url, existing.map((site) => site.id)),
    name: input.name === undefined ? new URL(url).host : checkName(input.name),
    url,
    default: input.default ?? !existing.some((site) => site.default),
    profile,
  };
}
