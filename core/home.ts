import { join } from 'node:path';

/**
 * Latchkey's home folder: `LATCHKEY_HOME`, or the platform's app-data folder for "Latchkey" (the
 * folder Electron's `app.getPath('userData')` gives the desktop app, so both share one home).
 */
export function latchkeyHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const chosen = env['LATCHKEY_HOME'];
  if (chosen) return chosen;
  // Loaded when needed: every command reads the home, and node:os is a measurable part of a short
  // command's start (`npm run bench`).
  const { homedir } = process.getBuiltinModule('node:os') as typeof import('node:os');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Latchkey');
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Latchkey');
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'Latchkey');
}

/** The fixed places inside a home. */
export function homePaths(home: string): { sites: string; sessions: string; profiles: string; log: string } {
  return {
    sites: join(home, 'sites.json'),
    sessions: join(home, 'sessions.json'),
    profiles: join(home, 'profiles'),
    log: join(home, 'logs', 'latchkey.log'),
  };
}
