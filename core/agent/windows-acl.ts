import { LatchkeyError } from '../common/errors.ts';

// What protects the home on Windows (docs/ARCHITECTURE.md, "The agent API"): POSIX modes mean
// nothing there, and a folder under %APPDATA% inherits its parent's access list. The agent sets
// the home's list explicitly: inheritance removed, full control for the user alone, inherited by
// every file and folder in it (the discovery file, the session store, the login profiles).

/** The icacls command that leaves `home` to `user` (`DOMAIN\name`) alone. */
export function ownerOnlyCommand(home: string, user: string): string[] {
  return ['icacls', home, '/inheritance:r', '/grant:r', `${user}:(OI)(CI)F`, '/q'];
}

/** Sets the home's access list on Windows (a no-op elsewhere, where the home is 0700). */
export async function protectHome(home: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<void> {
  if (platform !== 'win32') return;
  const { userInfo } = await import('node:os');
  const user = `${env['USERDOMAIN'] ?? '.'}\\${userInfo().username}`;
  const { spawnSync } = await import('node:child_process');
  const [command, ...args] = ownerOnlyCommand(home, user);
  const result = spawnSync(command ?? 'icacls', args, { windowsHide: true, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new LatchkeyError('agent_failed', `The home ${home} could not be made private (icacls exited ${result.status ?? 'without a status'}).`, {
      hint: 'Check that the home is on a local NTFS drive and belongs to you.',
    });
  }
}
