import { describe, expect, it } from 'vitest';
import { passwordStoreLaunch } from '../../../core/browser/chromium-flags.ts';

describe("the login browser's cookie encryption", () => {
  it("keeps playwright-core's public key where there is no keyring", () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) expect(passwordStoreLaunch('basic', platform)).toEqual({ ignoreDefaultArgs: [], args: [] });
  });

  it("moves the key to the OS keyring on each platform where the agent has one", () => {
    expect(passwordStoreLaunch('keyring', 'linux')).toEqual({ ignoreDefaultArgs: ['--password-store=basic'], args: ['--password-store=gnome-libsecret'] });
    // macOS: the Keychain, instead of the mock keychain playwright-core asks for.
    expect(passwordStoreLaunch('keyring', 'darwin')).toEqual({ ignoreDefaultArgs: ['--password-store=basic', '--use-mock-keychain'], args: [] });
    // Windows: Chromium always uses DPAPI, the user's own key.
    expect(passwordStoreLaunch('keyring', 'win32')).toEqual({ ignoreDefaultArgs: ['--password-store=basic'], args: [] });
  });
});
