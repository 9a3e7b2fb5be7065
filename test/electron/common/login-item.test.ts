import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autostartEntry, autostartPath, execArgument } from '../../../electron/common/login-item.ts';

// The desktop app's start at login on Linux: an XDG autostart entry, checked by
// desktop-file-validate (Debian's desktop-file-utils) and read back as the specification reads it.

/** Splits an Exec value as the Desktop Entry Specification says: string escapes first, then quoting, then `%%`. */
function readExec(line: string): string[] {
  const value = line.replace(/\\([\\snrt])/g, (_, char: string) => ({ '\\': '\\', s: ' ', n: '\n', r: '\r', t: '\t' })[char] ?? char);
  const args: string[] = [];
  let current = '';
  let quoted = false;
  let any = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i] ?? '';
    if (quoted) {
      if (char === '\\' && /["`$\\]/.test(value[i + 1] ?? '')) current += value[++i];
      else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"') {
      quoted = true;
      any = true;
    } else if (char === ' ') {
      if (any) args.push(current);
      current = '';
      any = false;
    } else {
      current += char;
      any = true;
    }
  }
  if (any) args.push(current);
  return args.map((arg) => arg.replace(/%%/g, '%'));
}

describe('the autostart entry (Linux)', () => {
  const awkward = ['/opt/Latchkey 1.0/latchkey', '/home/ada/Apps/Latchkey "beta" $HOME `x` 100% \\.AppImage'];

  it('starts the app hidden, and reads back as the command it was made from', () => {
    for (const command of awkward) {
      const entry = autostartEntry([command]);
      const exec = /^Exec=(.*)$/m.exec(entry)?.[1] ?? '';
      expect(readExec(exec)).toEqual([command, '--hidden']);
    }
    expect(execArgument('/usr/bin/latchkey')).toBe('/usr/bin/latchkey');
  });

  it('passes desktop-file-validate', (context) => {
    if (spawnSync('desktop-file-validate', ['--help']).error !== undefined) {
      console.log('SKIP desktop-file-validate: desktop-file-utils is not installed on this machine');
      context.skip();
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-autostart-'));
    for (const [i, command] of awkward.entries()) {
      const path = join(dir, `latchkey-${i}.desktop`);
      writeFileSync(path, autostartEntry([command, '/opt/app folder']));
      const result = spawnSync('desktop-file-validate', [path], { encoding: 'utf8' });
      expect(result.stdout + result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
    // The check is real: an entry with a mistake is reported.
    const broken = join(dir, 'broken.desktop');
    writeFileSync(broken, autostartEntry(['/opt/latchkey']).replace('Type=Application', 'Type=Program'));
    expect(spawnSync('desktop-file-validate', [broken], { encoding: 'utf8' }).status).not.toBe(0);
  });

  it('goes to $XDG_CONFIG_HOME/autostart, else ~/.config/autostart', () => {
    expect(autostartPath({ XDG_CONFIG_HOME: '/xdg' }, '/home/ada')).toBe('/xdg/autostart/latchkey.desktop');
    expect(autostartPath({ XDG_CONFIG_HOME: 'relative' }, '/home/ada')).toBe('/home/ada/.config/autostart/latchkey.desktop');
    expect(autostartPath({}, '/home/ada')).toBe('/home/ada/.config/autostart/latchkey.desktop');
  });
});
