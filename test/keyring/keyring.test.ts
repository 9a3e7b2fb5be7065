import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inKeyringSession, keyringToolsMissing } from '../support/keyring-session.ts';
import { makeTestHome } from '../support/test-home.ts';
import { recordSecret } from '../support/secrets.ts';

// The headless agent's session store with a real Secret Service: GNOME Keyring in a D-Bus session
// of each test's own (Debian's gnome-keyring, dbus and libsecret-tools, installed by .ci/run).
// The keyring holds the key, the file only ciphertext; the faults each end as they should.

const missing = keyringToolsMissing();
if (missing.length > 0) console.log(`SKIP the keyring tests: ${missing.join(', ')} not installed on this machine`);

/** Runs one scenario of keyring-scenario.ts in a fresh D-Bus session and keyring; returns its report. */
function scenario(name: string, home: string, secret: string): Promise<Record<string, unknown>> {
  return inKeyringSession(join(import.meta.dirname, 'keyring-scenario.ts'), [name, home, secret], home);
}

/** The ways a value could sit in a file: as it is, base64, hex, URL-encoded. */
function encodings(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [value, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex'), encodeURIComponent(value)];
}

function freshSecret(): string {
  const secret = `keyring-session-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
  recordSecret(secret);
  return secret;
}

describe.skipIf(missing.length > 0)('the session store with a real keyring (GNOME Keyring)', () => {
  it('seals the store with a key the keyring holds: the file holds no session value in any encoding', async () => {
    const home = makeTestHome('keyring-seal').dir;
    const secret = freshSecret();
    const report = await scenario('seal', home, secret);
    expect(report).toMatchObject({ protection: 'keyring', note: null, sealed: true, reopened: true });
    expect(report['key']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const bytes = readFileSync(join(home, 'sessions.json')).toString('latin1');
    for (const form of encodings(secret)) expect(bytes.includes(form), form).toBe(false);
  });

  it('status says keyring for an agent that found one', async () => {
    const home = makeTestHome('keyring-agent').dir;
    const report = await scenario('agent-status', home, freshSecret());
    expect(report['error']).toBeUndefined();
    expect(report['agent']).toMatchObject({ running: true, storage: 'keyring', storageNote: null });
  });

  it('a key that no longer opens the store: the store is set aside (the sites log in again), never used', async () => {
    const home = makeTestHome('keyring-replaced').dir;
    const report = await scenario('replaced-key', home, freshSecret());
    expect(report['error']).toBeUndefined();
    expect(report['sessions']).toEqual([]);
    expect(report['setAside']).toMatch(/sessions\.json\.corrupt-/);
    expect(existsSync(String(report['setAside']))).toBe(true);
  });

  it('a keyring that goes away: the running agent goes on sealing; a new one refuses the sealed store, untouched, rather than make a new key or step down to plaintext', async () => {
    const home = makeTestHome('keyring-gone').dir;
    const report = await scenario('keyring-gone', home, freshSecret());
    expect(report['error']).toBeUndefined();
    expect(report['stillSealed']).toBe(true);
    expect(report['reopen']).toMatchObject({ code: 'store_failed', error: expect.stringContaining('is sealed with a key that the keyring does not give') });
    expect(report['untouched']).toBe(true);
  });

  it('a session with no Secret Service: sessions stay in the plaintext file, shown (never in the kernel keyring, which forgets at logout)', async () => {
    const home = makeTestHome('keyring-none').dir;
    const report = await scenario('no-secret-service', home, freshSecret());
    expect(report['error']).toBeUndefined();
    expect(report).toMatchObject({ protection: 'plaintext', plain: true, note: expect.stringContaining('No OS keyring answered') });
  });

  it('latchkey reset removes the key from the keyring with the rest', async () => {
    const home = makeTestHome('keyring-reset').dir;
    const report = await scenario('reset', home, freshSecret());
    expect(report['error']).toBeUndefined();
    expect(report).toMatchObject({ keyBefore: true, resetCode: 0, keyAfter: false });
    expect(report['resetSaid']).toContain("Removed the session store's key from the keyring (Latchkey, session-store-key:");
  });

  it('a plaintext store from before the keyring is read, and sealed at the next save', async () => {
    const home = makeTestHome('keyring-migrate').dir;
    const report = await scenario('migrate', home, freshSecret());
    expect(report).toMatchObject({ plainFirst: true, read: true, sealedAfter: true });
  });

  it("keeps the login browser's own cookie key in the keyring: the profile's cookies are v11, none with the public v10 key", async () => {
    const home = makeTestHome('kr-browser').dir;
    const report = await scenario('browser-cookies', home, freshSecret());
    expect(report).toMatchObject({ ending: 'ok', prefixes: ['v11'], chromiumKey: true });
    // The identity provider's cookie stays for silent renewal; the site's were taken out after the capture.
    expect(report['idpCookies']).toBeGreaterThan(0);
  });

  it('a locked keyring: a new agent refuses the sealed store, untouched, and says to unlock it (never plaintext)', async () => {
    const home = makeTestHome('kr-locked').dir;
    const secret = freshSecret();
    const report = await scenario('locked', home, secret);
    expect(report).toMatchObject({ locked: true, untouched: true, refusal: { code: 'store_failed', hint: expect.stringContaining('Unlock your keyring') } });
    expect(report['opened']).toBeUndefined();
  });
});
