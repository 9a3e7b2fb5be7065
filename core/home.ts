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
  const { homedir } = os();
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Latchkey');
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Latchkey');
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'Latchkey');
}

function os(): typeof import('node:os') {
  return process.getBuiltinModule('node:os') as typeof import('node:os');
}

/**
 * This machine's name in a home: `LATCHKEY_HOST`, else the OS host name; with A-Z made lower case
 * and every other byte of its UTF-8 form that is not a letter, digit, `.`, `_` or `-` made `_`, so
 * it is one safe folder name on every OS, and a script in any language (examples/) computes the
 * same. A home may be shared by several machines (an NFS home on every workstation and render
 * node): each one's agent, lock, sessions and login profiles live under `hosts/<this name>/`.
 */
export function hostName(env: NodeJS.ProcessEnv = process.env): string {
  const name = Buffer.from(env['LATCHKEY_HOST'] || os().hostname(), 'utf8')
    .toString('latin1')
    .replace(/[A-Z]/g, (letter) => letter.toLowerCase())
    .replace(/[^a-z0-9._-]/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 64);
  return name === '' ? 'localhost' : name;
}

/** A short, fixed-length name for a host, where a path must stay short (a unix socket's). */
export function hostKey(host: string): string {
  const { createHash } = process.getBuiltinModule('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(host).digest('hex').slice(0, 8);
}

/** The places inside a home: the site list is the person's, shared by every host; the rest is this host's. */
export interface HomePaths {
  home: string;
  /** This machine's name in the home (hostName). */
  host: string;
  /** The site list, shared by every host of the home. */
  sites: string;
  /** This host's folder, `<home>/hosts/<host>`: the agent's lock and discovery file, sessions, profiles, logs. */
  hostDir: string;
  sessions: string;
  profiles: string;
  log: string;
  /** What an agent started in the background writes before its log is open. */
  agentOutput: string;
}

/** The fixed places inside a home, for `host` (default: this machine, hostName). */
export function homePaths(home: string, host: string = hostName()): HomePaths {
  const hostDir = join(home, 'hosts', host);
  return {
    home,
    host,
    sites: join(home, 'sites.json'),
    hostDir,
    sessions: join(hostDir, 'sessions.json'),
    profiles: join(hostDir, 'profiles'),
    log: join(hostDir, 'logs', 'latchkey.log'),
    agentOutput: join(hostDir, 'logs', 'agent-output.log'),
  };
}

/** The entries that lived at the top of a home before hosts had folders, moved into the first host's folder that starts. */
export const legacyHostEntries = ['sessions.json', 'sessions.sealed', 'profiles'] as const;

