import { describe, expect, it } from 'vitest';
import { answerUrl, credentialPage } from '../../../electron/common/credential-page.ts';

describe("the desktop app's credential prompt", () => {
  it('is a plain form that answers only to the address the app catches, with no script and nothing loaded', () => {
    const page = credentialPage('idp.example.com:443', 'Corp');
    expect(page).toContain(`action="${answerUrl}"`);
    expect(page).toContain("default-src 'none'");
    expect(page).toContain('form-action latchkey-credentials:');
    expect(page).not.toMatch(/<script|src=|href=/i);
    expect(page).toContain('type="password"');
  });

  it("shows the server's host and realm as text only", () => {
    const page = credentialPage('evil.example:443', '<img src=x onerror=alert(1)>\u202eReal\u0007m');
    expect(page).not.toContain('<img');
    expect(page).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(page).not.toMatch(/[\u202e\u0007]/);
  });
});
