/**
 * Flags for the login browser. The first group keeps Chromium from calling home (on closed networks
 * those calls fail by the dozen and slow every start); `--deny-permission-prompts` answers every
 * device and notification request with "no", so a login page can never get a camera or a location.
 */
export const chromiumFlags: readonly string[] = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-default-apps',
  '--deny-permission-prompts',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

/** Extra flags where Chromium runs as root or in a container (no user namespaces, no GPU). */
export function environmentFlags(isRoot: boolean): string[] {
  return isRoot ? ['--no-sandbox', '--disable-gpu'] : [];
}
