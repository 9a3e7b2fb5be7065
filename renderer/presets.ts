/** A login preset as the add-site form offers it. */
export interface PresetChoice {
  name: string;
  label: string;
  /** What the person needs to know to pick it. */
  description: string;
}

/**
 * The agent's login presets (`presets` in core/sites/presets.ts), written out here because the
 * renderer cannot load core at run time and the status does not list them. test/ui checks that the
 * add-site form offers exactly the agent's presets, so a preset added there fails that test until
 * it is added here.
 */
export const presetChoices: readonly PresetChoice[] = [
  { name: 'shotgrid', label: 'ShotGrid', description: 'Single sign-on that ends on /auth/landing and leaves a session cookie.' },
  { name: 'cloudshell', label: 'CloudShell API', description: 'OpenID Connect; needs "issuer" and "clientId" in the profile fields.' },
  { name: 'cloudshell-portal', label: 'CloudShell Portal', description: 'A login page that sets a JWT cookie.' },
  { name: 'query-key', label: 'Content Catalyst', description: 'The landing address carries the session key.' },
];

/** The preset the form starts with. */
export const defaultPreset = 'shotgrid';
