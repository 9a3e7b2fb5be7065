import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-process.ts';
import { startLiveAgent, type LiveAgent } from '../support/live-agent.ts';

// The completion scripts, run by the shells themselves (Debian's bash, zsh and fish) against a
// live agent: the site ids come from `latchkey completion --sites` on the PATH.
let live: LiveAgent;
let dir: string;
let env: NodeJS.ProcessEnv;

function shell(program: string, script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(program, ['-c', script], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  live = await startLiveAgent('cli-completion');
  dir = mkdtempSync(join(tmpdir(), 'latchkey-completion-'));
  // `latchkey` as a person's PATH has it.
  writeFileSync(join(dir, 'latchkey'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(import.meta.dirname, '..', '..', 'bin', 'latchkey.js'))} "$@"\n`);
  chmodSync(join(dir, 'latchkey'), 0o755);
  env = { ...live.env, PATH: `${dir}:${process.env['PATH'] ?? ''}` };
  for (const name of ['bash', 'zsh', 'fish', 'powershell'] as const) {
    const result = await runCli(['completion', name], env);
    expect(result.code, result.stderr).toBe(0);
    writeFileSync(join(dir, `latchkey.${name}`), result.stdout);
  }
});

afterAll(async () => {
  await live?.close();
});

// Each case: the words after `latchkey`, the last one being completed, and what must be offered.
const cases: Array<[string[], string[]]> = [
  [[''], ['status', 'sites', 'login', 'logout', 'token', 'get', 'exec', 'api', 'invalidate', 'agent', 'service', 'doctor', 'reset', 'ui', 'demo', 'completion']],
  [['si'], ['sites']],
  [['sites', ''], ['list', 'add', 'edit', 'rm', 'default']],
  [['get', '--format', ''], ['json', 'header', 'env', 'powershell', 'cmd', 'netscape']],
  [['token', '--'], ['--wait', '--no-prompt', '--help']],
  [['sites', 'add', 'https://x.example.com', '--preset', ''], ['shotgrid', 'shotgrid-browser', 'cloudshell', 'cloudshell-portal', 'query-key']],
  [['completion', ''], ['bash', 'zsh', 'fish', 'powershell']],
];

describe('latchkey completion bash', () => {
  const complete = async (words: string[]): Promise<string[]> => {
    const quoted = words.map((word) => `'${word}'`).join(' ');
    const result = await shell('bash', `source '${join(dir, 'latchkey.bash')}'; COMP_WORDS=(latchkey ${quoted}); COMP_CWORD=${words.length}; _latchkey; printf '%s\\n' "\${COMPREPLY[@]}"`);
    expect(result.stderr).toBe('');
    return result.stdout.split('\n').filter(Boolean);
  };

  it.each(cases)('completes %j', async (words, offered) => {
    expect(await complete(words)).toEqual(offered);
  });

  it("completes a SITE with the agent's site ids", async () => {
    expect(await complete(['token', ''])).toEqual([live.site.id]);
    expect(await complete(['sites', 'rm', ''])).toEqual([live.site.id]);
  });

  it('completes the command after exec --', async () => {
    expect(await complete(['exec', live.site.id, '--', 'ech'])).toContain('echo');
  });
});

describe('latchkey completion zsh', () => {
  it('registers _latchkey and completes every case, the SITE from the agent', async () => {
    const all: Array<[string[], string[]]> = [...cases, [['login', ''], [live.site.id]]];
    // One shell for every case: compinit takes a moment. zsh's compadd keeps the candidates that
    // start with the word typed; so does this test.
    const runs = all.map(([words], index) => `print -r -- "case:${index}"; _latchkey_candidates ${words.length} ${words.map((word) => `'${word}'`).join(' ')}`).join('; ');
    const result = await shell('zsh', `autoload -U compinit && compinit -u -D; source '${join(dir, 'latchkey.zsh')}'; print -r -- "comps:$_comps[latchkey]"; ${runs}`);
    expect(result.stderr).toBe('');
    const [registered, ...lines] = result.stdout.split('\n').filter(Boolean);
    expect(registered).toBe('comps:_latchkey');
    const offered = new Map<number, string[]>();
    let current = -1;
    for (const line of lines) {
      const start = /^case:(\d+)$/.exec(line);
      if (start !== null) offered.set((current = Number(start[1])), []);
      else offered.get(current)?.push(line);
    }
    expect(all.map(([words], index) => (offered.get(index) ?? []).filter((candidate) => candidate.startsWith(words.at(-1) ?? '')))).toEqual(all.map(([, expected]) => expected));
  });
});

describe('latchkey completion fish', () => {
  const complete = async (line: string): Promise<string[]> => {
    const result = await shell('fish', `source '${join(dir, 'latchkey.fish')}'; complete -C '${line}'`);
    expect(result.stderr).toBe('');
    return result.stdout.split('\n').filter(Boolean).map((entry) => entry.split('\t')[0] ?? '');
  };

  it('completes the verbs, a group, option values and site ids', async () => {
    expect(await complete('latchkey ')).toEqual(['agent', 'api', 'completion', 'demo', 'doctor', 'exec', 'get', 'invalidate', 'login', 'logout', 'reset', 'service', 'sites', 'status', 'token', 'ui']);
    expect(await complete('latchkey sites ')).toEqual(['add', 'default', 'edit', 'list', 'rm']);
    expect(await complete('latchkey get --format ')).toEqual(['cmd', 'env', 'header', 'json', 'netscape', 'powershell']);
    expect(await complete('latchkey token --')).toEqual(['--help', '--no-prompt', '--wait']);
    expect(await complete('latchkey token ')).toEqual([live.site.id]);
  });
});

describe('latchkey completion powershell', () => {
  it('registers a completer for latchkey with every verb and the site ids from the agent', async () => {
    const script = (await runCli(['completion', 'powershell'], env)).stdout;
    expect(script).toContain('Register-ArgumentCompleter -Native -CommandName latchkey');
    expect(script).toContain("$latchkeyVerbs = @('status', 'sites', 'login', 'logout', 'token', 'get', 'exec', 'api', 'invalidate', 'agent', 'service', 'doctor', 'reset', 'ui', 'demo', 'completion')");
    expect(script).toContain('latchkey completion --sites');
  });
});

describe('latchkey completion --sites', () => {
  it('prints the site ids of the running agent, and never starts one', async () => {
    expect(await runCli(['completion', '--sites'], env)).toMatchObject({ code: 0, stdout: `${live.site.id}\n` });
    const none = await runCli(['completion', '--sites'], { ...env, LATCHKEY_HOME: mkdtempSync(join(tmpdir(), 'latchkey-completion-home-')) });
    expect(none).toMatchObject({ code: 0, stdout: '' });
  });
});
