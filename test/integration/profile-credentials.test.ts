import { createDecipheriv, pbkdf2Sync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homePaths } from '../../core/home.ts';
import { runLogin } from '../../core/login/login-flow.ts';
import { newSite } from '../../core/sites/new-site.ts';
import type { Site } from '../../core/sites/site.ts';
import { startLab, type Lab } from '../lab/lab.ts';
import { makeTestEngine, typesLogin, type TestEngine } from '../support/engine.ts';

// A credential rests in one place, the store: after a login in real Chromium, in every mode that
// captures from the browser, the site's login profile (its cookie database, its cache, every
// file) holds no value the session carries, in any encoding a test can try, while the identity
// provider's cookie stays there and a silent renewal still lands.

// Chromium's cookie encryption under `--password-store=basic` (Playwright's default on Linux): a
// published key, so a value sealed with it is as good as plain to anyone who has the file.
const basicKey = pbkdf2Sync('peanuts', 'saltysalt', 1, 16, 'sha1');

/** The ways a value could sit in a file: as it is, base64 (both alphabets), hex, URL-encoded. */
function encodings(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [...new Set([value, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex'), encodeURIComponent(value)])];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => join(dir, name)).filter((path) => statSync(path).isFile());
}

/**
 * Every `v10` blob in a file decrypted with the basic key, the first blocks of each, wherever it
 * is: in a live row or in a page SQLite freed, where a deleted cookie's bytes may still lie.
 */
function basicSealedTexts(bytes: Buffer): string[] {
  const texts: string[] = [];
  for (let at = bytes.indexOf('v10'); at >= 0; at = bytes.indexOf('v10', at + 1)) {
    const blocks = bytes.subarray(at + 3, at + 3 + 16 * 8);
    const usable = blocks.subarray(0, blocks.length - (blocks.length % 16));
    if (usable.length === 0) continue;
    const decipher = createDecipheriv('aes-128-cbc', basicKey, Buffer.alloc(16, ' '));
    decipher.setAutoPadding(false);
    texts.push(Buffer.concat([decipher.update(usable), decipher.final()]).toString('latin1'));
  }
  return texts;
}

/** The hosts of the cookies a profile's cookie database holds now. */
function cookieHosts(profile: string): string[] {
  const path = join(profile, 'Default', 'Cookies');
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return (db.prepare('SELECT host_key FROM cookies').all() as Array<{ host_key: string }>).map((row) => row.host_key);
  } finally {
    db.close();
  }
}

/** What of `secrets` the profile still holds, and where. */
function leaks(profile: string, secrets: string[]): string[] {
  const found: string[] = [];
  for (const path of filesUnder(profile)) {
    const bytes = readFileSync(path);
    const text = bytes.toString('latin1');
    const sealed = basicSealedTexts(bytes).join('\n');
    for (const secret of secrets) {
      for (const form of encodings(secret)) if (text.includes(form)) found.push(`${path} holds ${form === secret ? 'it' : 'an encoding of it'}`);
      // A sealed value's first blocks may hold a 32-byte digest of its host, then the value.
      if (sealed.includes(secret.slice(0, 24))) found.push(`${path} holds it sealed with Chromium's published key`);
    }
  }
  return found;
}

let lab: Lab;
let engine: TestEngine;

beforeAll(async () => {
  lab = await startLab();
  engine = await makeTestEngine('profile-credentials');
});

afterAll(async () => {
  engine?.sessions.close();
  await lab?.close();
});

const modes: Array<{ name: string; site: () => Site }> = [
  { name: 'cookie (shotgrid)', site: () => newSite({ url: lab.site.url, preset: 'shotgrid' }, []) },
  { name: 'cookie with a JWT (cloudshell-portal)', site: () => newSite({ url: lab.jwtSite.url, preset: 'cloudshell-portal' }, []) },
  { name: 'query (query-key)', site: () => newSite({ url: lab.querySite.url, preset: 'query-key' }, []) },
];

describe('no credential left in the login profile', () => {
  it.each(modes)('$name: the profile keeps the identity provider, not the session; a silent renewal lands', async ({ site: makeSite }) => {
    const site = makeSite();
    const profile = join(homePaths(engine.home.dir).profiles, site.id);
    engine.setPerson(typesLogin('ada', 'lovelace'));
    const first = await runLogin({ site, windows: engine.windows, interactive: true, clock: engine.clock, logger: engine.home.logger });
    engine.setPerson(null);
    expect(first.ending).toBe('ok');
    if (first.ending !== 'ok') return;
    const secrets = [first.session.credential.value, ...first.session.cookies.map((cookie) => cookie.value)].filter((value) => value.length >= 16);
    expect(secrets.length).toBeGreaterThan(0);
    expect(existsSync(join(profile, 'Default', 'Cookies'))).toBe(true);
    expect(leaks(profile, secrets)).toEqual([]);
    // The identity provider's session stays, so the next login needs no person.
    expect(cookieHosts(profile)).toContain('idp.localhost');

    const renewed = await runLogin({ site, windows: engine.windows, interactive: false, clock: engine.clock, logger: engine.home.logger });
    expect(renewed.ending).toBe('ok');
    if (renewed.ending !== 'ok') return;
    expect(renewed.session.credential.value).not.toBe(first.session.credential.value);
    expect(leaks(profile, [...secrets, renewed.session.credential.value])).toEqual([]);
  });

  it("is a real check: a profile where the capture's cookies were not removed is caught", async () => {
    // The same login through windows that ignore deleting a cookie, as before this rule.
    const keeping = {
      open: async (options: Parameters<typeof engine.windows.open>[0]) => Object.assign(await engine.windows.open(options), { deleteCookie: async () => undefined }),
      clearProfile: (profileId: string) => engine.windows.clearProfile(profileId),
    };
    const site = newSite({ url: lab.site.url, name: 'kept', preset: 'shotgrid' }, []);
    const profile = join(homePaths(engine.home.dir).profiles, site.id);
    engine.setPerson(typesLogin('ada', 'lovelace'));
    const result = await runLogin({ site, windows: keeping, interactive: true, clock: engine.clock, logger: engine.home.logger });
    engine.setPerson(null);
    if (result.ending !== 'ok') throw new Error(`login ended ${result.ending}`);
    expect(leaks(profile, [result.session.credential.value]).length).toBeGreaterThan(0);
  });
});

