import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { homePaths, hostName } from '../../core/home.ts';
import { makeTestHome } from '../support/test-home.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveAgent, type LiveAgent } from '../support/live-agent.ts';

const root = new URL('../../', import.meta.url).pathname;
let agent: LiveAgent;

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: root, env: { ...process.env, LATCHKEY_HOME: agent.home.dir, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  agent = await startLiveAgent('examples');
});

afterAll(async () => {
  await agent?.close();
});

describe('the Python example (standard library only)', () => {
  it.each([['unix socket', {}], ['TCP', { LATCHKEY_TRANSPORT: 'tcp' }]] as const)('gets the session over the %s and calls the site API with it', async (_, env) => {
    const result = await run('python3', ['examples/python/latchkey_session.py', 'Studio', '/api/whoami'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('user: ada');
    expect(result.stdout).toContain('GET /api/whoami -> 200 {"user":"ada"}');
    expect(agent.engine.sessions.activity()[0]).toMatchObject({ site: expect.stringMatching(/^studio/), client: 'python-example' });
  });

  it('uses TCP where this Python has no AF_UNIX (as on some Windows builds)', async () => {
    const script = 'import socket\ndel socket.AF_UNIX\nimport sys\nsys.path.insert(0, "examples/python")\nimport latchkey_session as l\nprint(l.get_session("Studio", wait=0)["user"])';
    const result = await run('python3', ['-c', script]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('ada\n');
    const lines = (await agent.home.readLog()).split('\n').filter((line) => line.includes('"client":"python-example"') && line.includes('"route":"getSession"'));
    expect(lines.at(-1)).toContain('"transport":"tcp"');
  });

  it('exits 3 with a hint when no agent runs', async () => {
    const result = await run('python3', ['examples/python/latchkey_session.py', 'Studio'], { LATCHKEY_AGENT: '/nonexistent/agent.json' });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('latchkey agent');
  });

  it('raises LatchkeyError carrying the agent error code', async () => {
    const result = await run('python3', ['-c', 'import sys; sys.path.insert(0, "examples/python"); import latchkey_session as l\ntry:\n  l.get_session("nosuchsite", wait=0)\nexcept l.LatchkeyError as e:\n  print(e.code)']);
    expect(result.stdout.trim()).toBe('site_not_found');
  });
});

describe('the shell example (curl over the unix socket)', () => {
  it('gets the session and calls the site API with it', async () => {
    const result = await run('sh', ['examples/shell/latchkey-curl.sh', 'Studio', '/api/whoami']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('user: ada\n{"user":"ada"}\n');
    expect(agent.engine.sessions.activity()[0]?.client).toBe('shell-example');
  });

  it('exits 3 when no agent runs', async () => {
    const result = await run('sh', ['examples/shell/latchkey-curl.sh', 'Studio'], { LATCHKEY_AGENT: '/nonexistent/agent.json' });
    expect(result.code).toBe(3);
  });
});

describe('the examples find this host\'s agent as Latchkey does', () => {
  it('compute the host folder of LATCHKEY_HOST as core/home.ts does, odd names included', async () => {
    // The agent's discovery file, copied to where each example must look for a host named oddly.
    const host = 'Render Node/7.É';
    const home = makeTestHome('examples-host').dir;
    const folder = homePaths(home, hostName({ LATCHKEY_HOST: host })).hostDir;
    mkdirSync(folder, { recursive: true });
    copyFileSync(agent.server.discoveryPath, join(folder, 'agent.json'));
    const env = { LATCHKEY_HOME: home, LATCHKEY_HOST: host };
    const python = await run('python3', ['examples/python/latchkey_session.py', 'Studio', '/api/whoami'], env);
    expect(python.stderr).toBe('');
    expect(python.stdout).toContain('user: ada');
    const shell = await run('sh', ['examples/shell/latchkey-curl.sh', 'Studio', '/api/whoami'], env);
    expect(shell.stderr).toBe('');
    expect(shell.stdout).toContain('user: ada');
  });
});

describe('the Node example (the latchkey/client package export)', () => {
  it('gets the session, calls the site, and after a 401 renews once and retries', async () => {
    const first = await run(process.execPath, ['examples/node/whoami.mjs', 'Studio', '/api/whoami']);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^ada at http:\/\/studio\.localhost:\d+: 200 \{"user":"ada"\}\n$/);
    // The site forgets every session: the example must report the 401 and get a renewed one.
    agent.lab.site.revokeAllSessions();
    const second = await run(process.execPath, ['examples/node/whoami.mjs', 'Studio', '/api/whoami']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(': 200 {"user":"ada"}');
  });
});
