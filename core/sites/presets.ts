import { LatchkeyError } from '../common/errors.ts';
import { presets } from '../common/presets.ts';
import type { LoginProfile } from '../common/profile.ts';
import { browserProblem, describeIssue, missingForMode, overridesSchema } from './profile-schema.ts';

/**
 * The named preset's profile with `overrides` applied, each override validated and the whole
 * checked for the fields its mode needs; throws `invalid_site` naming the unknown preset or the
 * first bad or missing field.
 */
export function profileFromPreset(name: string, overrides: Partial<LoginProfile> = {}): LoginProfile {
  // Object.hasOwn, not `name in presets`: `toString` or `__proto__` must not look like presets.
  const base = Object.hasOwn(presets, name) ? presets[name] : undefined;
  if (base === undefined) {
    throw new LatchkeyError('invalid_site', `Unknown preset ${JSON.stringify(name)}.`, {
      hint: `Known presets: ${Object.keys(presets).join(', ')}.`,
    });
  }
  const parsed = overridesSchema.safeParse(overrides);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new LatchkeyError('invalid_site', issue === undefined ? 'Site profile is invalid.' : describeIssue(issue));
  }
  const { preset, ...fields } = parsed.data;
  if (preset !== undefined && preset !== name) {
    throw new LatchkeyError('invalid_site', `Site profile field "preset" is ${JSON.stringify(preset)} but the preset asked for is ${JSON.stringify(name)}.`);
  }
  const given: Partial<LoginProfile> = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  // structuredClone: the result shares no array or object with the frozen preset.
  const profile: LoginProfile = { ...structuredClone(base), ...given, preset: name };
  const missing = missingForMode(profile);
  if (missing !== null) {
    throw new LatchkeyError('invalid_site', `Site profile field "${missing}" is required in ${profile.mode} mode.`, {
      hint: `Give "${missing}" in the site's profile (the ${name} preset has no default for it).`,
    });
  }
  const mismatch = browserProblem(profile);
  if (mismatch !== null) throw new LatchkeyError('invalid_site', mismatch);
  return profile;
}
