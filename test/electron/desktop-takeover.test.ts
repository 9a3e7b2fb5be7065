import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { takeBrowserSlot } from '../support/browser-slots.ts';
import { inKeyringSession, keyringToolsMissing } from '../support/keyring-session.ts';
import { makeTestHome } from '../support/test-home.ts';

// One home, two kinds of agent: the desktop app's composition (without Electron itself, whose
// binary cannot run here: safeStorage has a stand-in) takes a home over from a real headless
// agent whose store the real GNOME Keyring seals; no session is lost, the next renewal is silent.

const missing = keyringToolsMissing();
if (missing.length > 0) console.log(`SKIP the desktop takeover test: ${missing.join(', ')} not installed on this machine`);

describe.skipIf(missing.length > 0)('the desktop app taking a home over from a headless agent', () => {
  it("stops the agent, opens its keyring-sealed store, renews silently, and the agent opens the app's store again", async () => {
    const home = makeTestHome('takeover').dir;
    // The headless agent's login runs a browser.
    const giveBack = await takeBrowserSlot();
    let report: Record<string, unknown>;
    try {
      report = await inKeyringSession(join(import.meta.dirname, 'desktop-takeover-scenario.ts'), [home], home);
    } finally {
      await giveBack();
    }
    expect(report).toEqual({
      headlessStorage: 'keyring',
      headlessHolders: { keyring: true, safeStorage: null },
      stopped: true,
      agentExit: 0,
      desktopProtection: 'keychain',
      desktopNote: null,
      sessionTakenOver: true,
      renewed: true,
      windowsOpened: 0,
      desktopHolders: { keyring: true, safeStorage: expect.any(String) },
      headlessReadsDesktop: true,
    });
  });
});
