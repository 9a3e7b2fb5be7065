import { describe, expect, it } from 'vitest';
import { endpointPath, windowsPipeName } from '../../../core/agent/agent-endpoint.ts';
import { homeKey } from '../../../core/agent/runtime-dir.ts';
import { ownerOnlyCommand } from '../../../core/agent/windows-acl.ts';

// The agent's local endpoint on each platform (the platform injected): a unix socket in the
// runtime folder, or a named pipe on Windows whose name no other user can predict or claim first.

describe('the agent endpoint', () => {
  it('is agent.sock in the runtime folder on Linux and macOS', () => {
    expect(endpointPath('linux', '/run/user/1000/latchkey/abc')).toBe('/run/user/1000/latchkey/abc/agent.sock');
    expect(endpointPath('darwin', '/Users/ada/Library/Application Support/Latchkey/run')).toBe('/Users/ada/Library/Application Support/Latchkey/run/agent.sock');
  });

  it('is a named pipe on Windows with 128 random bits: never the same twice, never derived from the home', () => {
    const names = Array.from({ length: 64 }, () => endpointPath('win32', 'C:\\Users\\grace\\AppData\\Roaming\\Latchkey\\run'));
    for (const name of names) expect(name).toMatch(/^\\\\\.\\pipe\\latchkey-[0-9a-f]{32}$/);
    expect(new Set(names).size).toBe(names.length);
    const home = 'C:\\Users\\grace\\AppData\\Roaming\\Latchkey';
    for (const name of names) {
      expect(name.toLowerCase()).not.toContain('grace');
      expect(name).not.toContain(homeKey(home));
    }
    expect(windowsPipeName(Buffer.alloc(16, 0xab))).toBe(`\\\\.\\pipe\\latchkey-${'ab'.repeat(16)}`);
  });
});

describe('the home on Windows', () => {
  it('is given to its user alone: inheritance removed, full control inherited by everything in it', () => {
    expect(ownerOnlyCommand('C:\\Users\\ada\\AppData\\Roaming\\Latchkey', 'STUDIO\\ada')).toEqual([
      'icacls',
      'C:\\Users\\ada\\AppData\\Roaming\\Latchkey',
      '/inheritance:r',
      '/grant:r',
      'STUDIO\\ada:(OI)(CI)F',
      '/q',
    ]);
  });
});
