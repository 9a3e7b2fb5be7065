import { shotgridProfile as presetProfile } from '../../core/common/presets.ts';
import type { LoginProfile } from '../../core/common/profile.ts';
import type { Site } from '../../core/sites/site.ts';

/** The shotgrid preset's profile with `overrides`, unchecked (tests also build profiles the preset validation would refuse). */
export function shotgridProfile(overrides: Partial<LoginProfile> = {}): LoginProfile {
  return { ...presetProfile, expiryCookies: [...presetProfile.expiryCookies], ...overrides };
}

/** A site at `url` with the shotgrid profile. */
export function testSite(url: string, id = 'studio', overrides: Partial<LoginProfile> = {}): Site {
  return { id, name: id, url, default: true, profile: shotgridProfile(overrides) };
}
