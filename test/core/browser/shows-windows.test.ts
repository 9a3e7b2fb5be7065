import { describe, expect, it } from 'vitest';
import { ChromiumLoginWindows } from '../../../core/browser/chromium-login-window.ts';

const windows = (options: { env: Record<string, string>; platform: NodeJS.Platform; alwaysHidden?: boolean }) =>
  new ChromiumLoginWindows({ profilesDir: '/nonexistent', ...options });

describe('whether a login window can reach the person', () => {
  it('needs a desktop session on Linux (X11 or Wayland)', () => {
    expect(windows({ env: {}, platform: 'linux' }).showsWindows()).toBe(false);
    expect(windows({ env: { DISPLAY: ':0' }, platform: 'linux' }).showsWindows()).toBe(true);
    expect(windows({ env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux' }).showsWindows()).toBe(true);
  });

  it('is taken for granted on macOS and Windows, and for hidden windows driven by automation', () => {
    expect(windows({ env: {}, platform: 'darwin' }).showsWindows()).toBe(true);
    expect(windows({ env: {}, platform: 'win32' }).showsWindows()).toBe(true);
    expect(windows({ env: {}, platform: 'linux', alwaysHidden: true }).showsWindows()).toBe(true);
  });

  it('refuses to open a visible window where none can show', async () => {
    await expect(windows({ env: {}, platform: 'linux' }).open({ profileId: 'site', visible: true, title: 'Log in' })).rejects.toMatchObject({ code: 'browser_failed' });
  });
});
