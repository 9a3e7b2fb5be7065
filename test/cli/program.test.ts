import { describe, expect, it } from 'vitest';
import { processDeps } from '../../cli/command-context.ts';
import { buildProgram, verbsFor } from '../../cli/program.ts';

const allVerbs = ['status', 'sites', 'login', 'logout', 'token', 'get', 'exec', 'api', 'invalidate', 'agent', 'ui', 'demo'];

function commandNames(argv: string[]): string[] {
  const program = buildProgram({ deps: processDeps(new AbortController().signal), argv, setExitCode: () => {} });
  return program.commands.map((command) => command.name());
}

describe('verbsFor', () => {
  it('sets up only the verb being run when the first argument names one', () => {
    expect(verbsFor(['node', 'latchkey', 'token', 'demo', '--no-prompt'])).toEqual(['token']);
    expect(verbsFor(['node', 'latchkey', 'sites', 'rm', 'demo'])).toEqual(['sites']);
  });

  it('sets up every verb for help, a mistyped verb, an option first or no arguments', () => {
    for (const args of [['--help'], ['help', 'token'], ['tokn'], ['--version'], [], ['constructor'], ['toString']]) {
      expect(verbsFor(['node', 'latchkey', ...args])).toEqual(allVerbs);
    }
  });
});

describe('buildProgram', () => {
  it('lists every verb in the help and builds just the one being run otherwise', () => {
    expect(commandNames(['node', 'latchkey', '--help'])).toEqual(allVerbs);
    expect(commandNames(['node', 'latchkey', 'get', '--format', 'json'])).toEqual(['get']);
  });
});
