import { posix } from 'node:path';

// "Start at login" for the desktop app: Electron's login-item settings on macOS and Windows, and
// on Linux, where Electron has none, an XDG autostart entry (the Desktop Application Autostart
// Specification): `$XDG_CONFIG_HOME/autostart/latchkey.desktop`. Free of Electron, so it is tested in plain Node.

/** The argument the app is started with at login: it starts in the tray, without its window. */
export const hiddenStartArgument = '--hidden';

/** Where the Linux autostart entry goes. */
export function autostartPath(env: NodeJS.ProcessEnv, userHome: string): string {
  const configHome = env['XDG_CONFIG_HOME'] && posix.isAbsolute(env['XDG_CONFIG_HOME']) ? env['XDG_CONFIG_HOME'] : posix.join(userHome, '.config');
  return posix.join(configHome, 'autostart', 'latchkey.desktop');
}

/**
 * One argument of an Exec key (Desktop Entry Specification, "The Exec key"): quoted when it holds
 * a reserved character, with `"`, `` ` ``, `$` and `\` escaped inside the quotes; `%` doubled, as
 * field codes start with it. The value is then a string, whose own escapes (`\\`, `\s`, `\n`,
 * `\t`, `\r`) are applied by entryString.
 */
export function execArgument(argument: string): string {
  const percent = argument.replace(/%/g, '%%');
  if (percent !== '' && !/[\s"'\\><~|&;$*?#()`]/.test(percent)) return percent;
  return `"${percent.replace(/(["`$\\])/g, '\\$1')}"`;
}

/** A value of type string in a desktop entry: a backslash and the control characters escaped. */
function entryString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
}

/** The autostart entry that starts `command` (the app's executable, or the AppImage) hidden at login. */
export function autostartEntry(command: readonly string[]): string {
  const exec = [...command, hiddenStartArgument].map(execArgument).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Latchkey',
    'Comment=Single sign-on sessions for local scripts and tools',
    `Exec=${entryString(exec)}`,
    'Terminal=false',
    'NoDisplay=true',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}
