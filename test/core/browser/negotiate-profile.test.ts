import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareNegotiate } from '../../../core/browser/negotiate-profile.ts';

// The profile mark that lets Chromium on Linux answer a site's first Negotiate challenge (the
// login with Debian's real Kerberos is test/integration/negotiate-login.test.ts).

const fresh = (): string => mkdtempSync(join(tmpdir(), 'latchkey-negotiate-'));
const state = (dir: string): unknown => JSON.parse(readFileSync(join(dir, 'Local State'), 'utf8'));

describe('prepareNegotiate', () => {
  it('marks a Linux profile when hosts are listed, keeping what the browser wrote there', async () => {
    const empty = fresh();
    await prepareNegotiate(empty, 'linux', true);
    expect(state(empty)).toEqual({ net: { received_http_auth_negotiate_headers: true } });
    const used = fresh();
    writeFileSync(join(used, 'Local State'), JSON.stringify({ browser: { last_redirect_origin: '' }, net: { other: 1 } }));
    await prepareNegotiate(used, 'linux', true);
    expect(state(used)).toEqual({ browser: { last_redirect_origin: '' }, net: { other: 1, received_http_auth_negotiate_headers: true } });
  });

  it('leaves profiles alone with no host listed, on other systems, and where the file is not one it knows', async () => {
    for (const [platform, listed] of [['linux', false], ['darwin', true], ['win32', true]] as const) {
      const dir = fresh();
      await prepareNegotiate(dir, platform, listed);
      expect(existsSync(join(dir, 'Local State'))).toBe(false);
    }
    for (const text of ['not json', '[1,2]', 'null']) {
      const dir = fresh();
      writeFileSync(join(dir, 'Local State'), text);
      await prepareNegotiate(dir, 'linux', true);
      expect(readFileSync(join(dir, 'Local State'), 'utf8')).toBe(text);
    }
  });
});
