import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/log.ts';
import { listenForRedirect, type LoopbackRedirect } from '../../../core/login/loopback-redirect.ts';

/** One GET with a chosen Host header; answers the status, headers and body, or the connect error's code. */
function get(url: string, host?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const req = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, headers: { host: host ?? target.host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? 'unknown' }));
    req.end();
  });
}

describe('the loopback redirect listener (RFC 8252)', () => {
  let listener: LoopbackRedirect | undefined;
  afterEach(async () => {
    await listener?.close();
    listener = undefined;
  });

  it('listens on 127.0.0.1 on a port of its own, on the registered path', async () => {
    listener = await listenForRedirect({ redirectUri: 'http://127.0.0.1/latchkey/callback', state: 's1', logger: silentLogger });
    const uri = new URL(listener.redirectUri);
    expect(uri.hostname).toBe('127.0.0.1');
    expect(Number(uri.port)).toBeGreaterThan(0);
    expect(uri.pathname).toBe('/latchkey/callback');
    // "localhost" in a profile still gets the IP literal: the name may resolve to another address.
    const named = await listenForRedirect({ redirectUri: 'http://localhost/cb', state: 's1', logger: silentLogger });
    expect(new URL(named.redirectUri).hostname).toBe('127.0.0.1');
    await named.close();
  });

  it('refuses another path, another state and another Host, and goes on waiting; takes the right answer once', async () => {
    listener = await listenForRedirect({ redirectUri: 'http://127.0.0.1/latchkey/callback', state: 'right-state', logger: silentLogger });
    const base = listener.redirectUri;
    let caught: string | null = null;
    void listener.callback.then((url) => (caught = url));

    const foreignPath = await get(new URL('/other?code=c&state=right-state', base).href);
    expect(foreignPath).toMatchObject({ status: 404 });
    const wrongState = await get(`${base}?code=c&state=wrong-state`);
    expect(wrongState).toMatchObject({ status: 400 });
    expect('body' in wrongState && wrongState.body).toContain('not for the sign-in');
    // DNS rebinding: a page of another name that resolves to loopback is not the redirect URI.
    const rebound = await get(`${base}?code=c&state=right-state`, `evil.example:${new URL(base).port}`);
    expect(rebound).toMatchObject({ status: 400 });
    expect(caught).toBeNull();

    const right = await get(`${base}?code=the-code&state=right-state`);
    expect(right).toMatchObject({ status: 200 });
    if (!('headers' in right)) throw new Error('no answer');
    expect(right.body).toContain('You may close this tab');
    expect(right.body).not.toContain('the-code');
    expect(right.headers['content-security-policy']).toContain("default-src 'none'");
    expect(right.headers['referrer-policy']).toBe('no-referrer');
    expect(right.headers['cache-control']).toBe('no-store');
    expect(await listener.callback).toBe(`${base}?code=the-code&state=right-state`);

    // The listener closed with its answer: a second callback finds nothing there.
    const second = await get(`${base}?code=other&state=right-state`);
    expect(second).toEqual({ error: 'ECONNREFUSED' });
  });

  it("takes an error answer with this login's state, and tells the person to return to Latchkey", async () => {
    listener = await listenForRedirect({ redirectUri: 'http://127.0.0.1/cb', state: 'st', logger: silentLogger });
    const answer = await get(`${listener.redirectUri}?error=access_denied&state=st`);
    expect(answer).toMatchObject({ status: 200 });
    expect('body' in answer && answer.body).toContain('did not sign you in');
    expect(await listener.callback).toContain('error=access_denied');
  });

  it('listens on the port a profile names, for providers that register one exact redirect URI', async () => {
    const probe = await listenForRedirect({ redirectUri: 'http://127.0.0.1/cb', state: 'st', logger: silentLogger });
    const port = new URL(probe.redirectUri).port;
    await probe.close();
    listener = await listenForRedirect({ redirectUri: `http://127.0.0.1:${port}/cb`, state: 'st', logger: silentLogger });
    expect(listener.redirectUri).toBe(`http://127.0.0.1:${port}/cb`);
  });
});
