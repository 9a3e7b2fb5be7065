import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAgentServer, type AgentServer } from '../../core/agent/agent-server.ts';
import { homePaths, hostName } from '../../core/home.ts';
import { SiteRegistry } from '../../core/sites/site-registry.ts';
import type { Site } from '../../core/sites/site.ts';
import { agentProcess } from './agent/agent-harness.ts';
import { createFixtureEngine } from './agent/fixture-handlers.ts';
import { makeTestHome } from '../support/test-home.ts';

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(home: string, host: string): Promise<AgentServer> {
  const agent = await startAgentServer({ home, host, handlers: createFixtureEngine().handlers, version: '0.0.0-test' });
  cleanups.push(() => agent.close());
  return agent;
}

describe('the host name in a home', () => {
  it('is LATCHKEY_HOST or the OS name, lower case, one safe folder name on every OS', () => {
    expect(hostName({ LATCHKEY_HOST: 'Render-Node-7.Studio.Example' })).toBe('render-node-7.studio.example');
    expect(hostName({ LATCHKEY_HOST: 'DESKTOP 42/../é' })).toBe('desktop_42_..___');
    expect(hostName({ LATCHKEY_HOST: '..' })).toBe('localhost');
    expect(hostName({ LATCHKEY_HOST: 'x'.repeat(300) })).toHaveLength(64);
    expect(hostName({})).toMatch(/^[a-z0-9_-][a-z0-9._-]*$/);
  });

  it('puts every machine-tied file under hosts/<host>, and the site list at the top', () => {
    const paths = homePaths('/h', 'ws-a');
    expect(paths).toEqual({
      home: '/h',
      host: 'ws-a',
      sites: '/h/sites.json',
      hostDir: '/h/hosts/ws-a',
      sessions: '/h/hosts/ws-a/sessions.json',
      profiles: '/h/hosts/ws-a/profiles',
      log: '/h/hosts/ws-a/logs/latchkey.log',
      agentOutput: '/h/hosts/ws-a/logs/agent-output.log',
    });
  });
});

describe('a home from before hosts had folders', () => {
  it("moves its sessions and login profiles into the first host's folder that starts, and leaves the next host nothing to take", async () => {
    const home = makeTestHome('legacy').dir;
    writeFileSync(join(home, 'sessions.json'), '{"version":1,"sessions":{}}\n', { mode: 0o600 });
    mkdirSync(join(home, 'profiles', 'studio'), { recursive: true });
    writeFileSync(join(home, 'profiles', 'studio', 'Cookies'), 'cookie db');
    await serve(home, 'ws-a');
    expect(readFileSync(join(home, 'hosts', 'ws-a', 'sessions.json'), 'utf8')).toBe('{"version":1,"sessions":{}}\n');
    expect(readFileSync(join(home, 'hosts', 'ws-a', 'profiles', 'studio', 'Cookies'), 'utf8')).toBe('cookie db');
    expect(existsSync(join(home, 'sessions.json'))).toBe(false);
    await serve(home, 'ws-b');
    expect(existsSync(join(home, 'hosts', 'ws-b', 'sessions.json'))).toBe(false);
  });

  it('refuses to start while an agent of the old layout still serves the home', async () => {
    const home = makeTestHome('legacy-live').dir;
    // An agent of the old layout: its discovery file at the top of the home.
    const elsewhere = join(home, 'elsewhere');
    const old = await agentProcess(elsewhere, cleanups);
    writeFileSync(join(home, 'agent.json'), readFileSync(join(homePaths(elsewhere).hostDir, 'agent.json')));
    writeFileSync(join(home, 'sessions.json'), '{"version":1,"sessions":{}}\n', { mode: 0o600 });
    const error = await startAgentServer({ home, host: 'ws-a', handlers: createFixtureEngine().handlers, version: '0.0.0-test' }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'agent_running', message: expect.stringContaining(`an earlier version is running for this home (pid ${old.pid}`) });
    // Nothing moved, and the new host's claim is given back.
    expect(existsSync(join(home, 'sessions.json'))).toBe(true);
    expect(existsSync(join(home, 'hosts', 'ws-a', 'agent.lock'))).toBe(false);
  });
});

describe('the site list on a shared home', () => {
  it("is read again when another host's agent wrote it, and says what changed", () => {
    const home = makeTestHome('sites-shared').dir;
    const here = new SiteRegistry(home);
    const there = new SiteRegistry(home);
    const changes: Array<[string[], string[]]> = [];
    here.onChangedElsewhere((before, after) => changes.push([before.map((site: Site) => site.id), after.map((site: Site) => site.id)]));
    const studio = there.add({ url: 'https://studio.example.com', name: 'Studio' });
    expect(here.find('Studio').id).toBe(studio.id);
    there.add({ url: 'https://render.example.com', name: 'Render' });
    there.remove(studio.id);
    expect(here.list().map((site) => site.name)).toEqual(['Render']);
    expect(changes).toEqual([[[], [studio.id]], [[studio.id], ['render']]]);
    // Its own writes are no change from elsewhere.
    here.add({ url: 'https://third.example.com' });
    here.list();
    expect(changes).toHaveLength(2);
    expect(there.list().map((site) => site.id)).toEqual(['render', 'third']);
    // A list spoiled elsewhere is reported at every use, never replaced by the old one in silence.
    writeFileSync(join(home, 'sites.json'), '{"version":1,"sites":"spoiled"}');
    for (let use = 0; use < 2; use++) expect(() => here.list()).toThrow(expect.objectContaining({ code: 'store_corrupt' }));
  });
});
