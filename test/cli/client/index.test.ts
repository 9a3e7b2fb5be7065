import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAgent, getSession, hasCode, invalidateSession, LatchkeyError } from '../../../cli/client/index.ts';
import { requestLoopback } from '../../lab/lab.ts';
import { makeTestHome } from '../../support/test-home.ts';
import { startLiveAgent, type LiveAgent } from '../../support/live-agent.ts';
import { latchkeyVersion } from '../../../cli/version.ts';

let live: LiveAgent;
let env: NodeJS.ProcessEnv;

async function whoamiStatus(value: string): Promise<number> {
  return (await requestLoopback(`${live.lab.site.url}/api/whoami`, { headers: { Cookie: `_session_id=${value}` } })).status;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => new Error('expected a rejection'), (error: unknown) => error);
}

beforeAll(async () => {
  live = await startLiveAgent('cli-client');
  env = { LATCHKEY_HOME: live.home.dir };
});

afterAll(async () => {
  await live?.close();
});

describe('getSession', () => {
  it('gives 200 concurrent callers one login and the same session', async () => {
    const issued = live.lab.site.issuedSessions().length;
    const opened = live.opened.length;
    const grants = await Promise.all(Array.from({ length: 200 }, (_, i) => getSession(undefined, { env, wait: 30, client: `script ${i}` })));
    expect(live.lab.site.issuedSessions()).toHaveLength(issued + 1);
    expect(live.opened.slice(opened)).toEqual([{ visible: true }]);
    const values = new Set(grants.map((grant) => grant.credential.value));
    expect(values.size).toBe(1);
    expect(live.lab.site.issuedSessions().at(-1) === grants[0]?.credential.value).toBe(true);
    expect(new Set(grants.map((grant) => grant.user))).toEqual(new Set(['ada']));
    const client = await connectAgent({ env });
    const activity = await client.call('activity', {});
    client.close();
    expect(activity.some((entry) => entry.client === 'script 199')).toBe(true);
  });

  it('after invalidate, renews silently: a new session value, no window meant to be seen', async () => {
    const before = await getSession(live.site.id, { env });
    const opened = live.opened.length;
    const view = await invalidateSession(live.site.id, { env });
    expect(view.session.state).toBe('invalid');
    const after = await getSession(live.site.url, { env, wait: 30 });
    expect(after.credential.value === before.credential.value).toBe(false);
    expect(after.source).toBe('renewed');
    expect(live.opened.slice(opened)).toEqual([{ visible: false }]);
    expect(await whoamiStatus(after.credential.value)).toBe(200);
  });

  it('with prompt=false never asks for a visible window, and says a login is required', async () => {
    const client = await connectAgent({ env, client: 'no-prompt test' });
    await client.call('logout', { id: live.site.id });
    live.lab.idp.setAutoLogin(null);
    try {
      const opened = live.opened.length;
      // Each silent try stops at the identity provider's form, and says so once it has settled there.
      const settled = async (call: Promise<unknown>): Promise<unknown> => {
        await live.clock.whenTimer('silent settle');
        live.clock.runTimer('silent settle');
        return rejection(call);
      };
      const error = await settled(getSession(undefined, { env, wait: 20, prompt: false }));
      expect(hasCode(error, 'login_required')).toBe(true);
      const byEnv = await settled(getSession(undefined, { env: { ...env, LATCHKEY_NO_PROMPT: '1' }, wait: 20 }));
      expect(hasCode(byEnv, 'login_required')).toBe(true);
      expect(live.opened.length).toBeGreaterThan(opened);
      expect(live.opened.slice(opened).filter((window) => window.visible)).toEqual([]);
    } finally {
      live.lab.idp.setAutoLogin('ada');
      client.close();
    }
  });
});

describe('connectAgent', () => {
  it('reports a missing agent as agent_not_running with how to start one', async () => {
    const error = await rejection(connectAgent({ env: { LATCHKEY_HOME: makeTestHome('cli-client-none').dir } }));
    expect(hasCode(error, 'agent_not_running')).toBe(true);
    expect((error as LatchkeyError).hint).toBe('Start it with `latchkey agent` or the desktop app.');
  });

  it("carries the agent's error code, message and hint", async () => {
    const client = await connectAgent({ env });
    const error = await rejection(client.call('getSession', { id: 'nosuch', wait: 0 }));
    client.close();
    expect(error).toBeInstanceOf(LatchkeyError);
    expect(error).toMatchObject({ code: 'site_not_found', message: 'No site matches "nosuch".' });
    expect((error as LatchkeyError).hint).toContain(live.site.id);
  });

  it('uses TCP with the exact Host header when the discovery file names no socket, and reports a wrong token', async () => {
    const discovery = JSON.parse(readFileSync(live.server.discoveryPath, 'utf8')) as Record<string, unknown>;
    const dir = makeTestHome('cli-client-tcp').dir;
    writeFileSync(join(dir, 'tcp.json'), JSON.stringify({ ...discovery, socket: '' }));
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ ...discovery, socket: '', token: 'not-the-token-at-all' }));
    const tcp = await connectAgent({ env: { LATCHKEY_AGENT: join(dir, 'tcp.json') } });
    expect(await tcp.call('health', {})).toEqual({ ok: true, version: latchkeyVersion, pid: process.pid });
    tcp.close();
    const wrong = await connectAgent({ env: { LATCHKEY_AGENT: join(dir, 'wrong.json') } });
    const error = await rejection(wrong.call('health', {}));
    wrong.close();
    expect(error).toMatchObject({ code: 'unauthorized' });
  });

  it('stops a call when its signal aborts, with the signal reason', async () => {
    const client = await connectAgent({ env });
    await client.call('logout', { id: live.site.id });
    live.lab.site.setFailure('never_lands');
    try {
      const controller = new AbortController();
      const started = live.nextEvent((event) => event.type === 'login' && event.phase === 'started');
      const call = rejection(client.call('getSession', { id: live.site.id, wait: 60 }, { signal: controller.signal }));
      await started;
      controller.abort(new Error('stop'));
      expect(((await call) as Error).message).toBe('stop');
    } finally {
      live.lab.site.setFailure(null);
      await client.call('logout', { id: live.site.id });
      client.close();
    }
  });
});
