import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { LatchkeyError } from '../common/errors.ts';

/** Opens a page in the person's own browser (the SystemBrowser port of docs/ARCHITECTURE.md, "Folders and runtimes"). */
export interface SystemBrowser {
  /** Resolves once a browser program has started with the URL; rejects with `browser_failed` when none could. */
  open(url: string): Promise<void>;
}

/** Starts a program; Node's `spawn` has this shape. */
export type SpawnProgram = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/** One way to open a URL: a program and the arguments before (or around, with `%s`) the URL. */
export interface OpenerCommand {
  command: string;
  args: string[];
}

/**
 * Splits one `BROWSER` entry into words as a POSIX shell would for plain words and quotes (no
 * expansion of any kind: the entry is the person's, the URL never goes through a shell).
 */
export function splitCommandLine(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charAt(i);
    if (quote !== null) {
      if (char === quote) quote = null;
      else if (char === '\\' && quote === '"' && (text[i + 1] === '"' || text[i + 1] === '\\')) word += text.charAt(++i);
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote !== null) throw new LatchkeyError('browser_failed', `The BROWSER variable has an unclosed ${quote} quote.`);
  if (inWord) words.push(word);
  return words;
}

/**
 * The commands to try, in order, for a URL: each entry of `BROWSER` (separated as PATH is, the
 * convention of xdg-open and Python's webbrowser; `%s` stands for the URL, else it goes last), or
 * else the platform's own opener.
 */
export function openerCommands(url: string, env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): OpenerCommand[] {
  const browser = env['BROWSER']?.trim() ?? '';
  if (browser !== '') {
    const separator = platform === 'win32' ? ';' : ':';
    return browser
      .split(separator)
      .map((entry) => splitCommandLine(entry))
      .filter((words) => words.length > 0)
      .map(([command = '', ...rest]) => {
        const args = rest.some((arg) => arg.includes('%s')) ? rest.map((arg) => arg.replaceAll('%s', url)) : [...rest, url];
        return { command, args };
      });
  }
  switch (platform) {
    case 'darwin':
      return [{ command: 'open', args: [url] }];
    case 'win32':
      // Not `cmd /c start`: cmd.exe would read the URL's `&` and `^` as its own syntax.
      return [{ command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] }];
    default:
      return [{ command: 'xdg-open', args: [url] }];
  }
}

/** True for a URL a browser may be started on: http or https, nothing a program could read as an option. */
function openable(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.href === url;
  } catch {
    return false;
  }
}

/** Resolves once the program started, rejects with its spawn error (a missing program). */
function started(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
}

/** The system browser of a headless agent: `BROWSER` or the platform's opener, started detached with no shell. */
export function processSystemBrowser(options: { env: Readonly<Record<string, string | undefined>>; platform: NodeJS.Platform; spawn?: SpawnProgram }): SystemBrowser {
  return {
    open: async (url) => {
      if (!openable(url)) throw new LatchkeyError('browser_failed', 'Only an http or https page is opened in the browser.');
      const spawn = options.spawn ?? (await import('node:child_process')).spawn;
      const reasons: string[] = [];
      for (const { command, args } of openerCommands(url, options.env, options.platform)) {
        try {
          const child = spawn(command, args, { detached: true, stdio: 'ignore', windowsHide: true });
          await started(child);
          // The browser outlives the login: the agent neither waits for it nor ends it.
          child.unref();
          return;
        } catch (error) {
          reasons.push(`${command}: ${(error as NodeJS.ErrnoException).code ?? 'failed'}`);
        }
      }
      throw new LatchkeyError('browser_failed', `No browser could be started (${reasons.join('; ')}).`, {
        hint: 'Open the address shown by hand, or set BROWSER to your browser program.',
      });
    },
  };
}
