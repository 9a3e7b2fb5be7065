import { describe, expect, it } from 'vitest';
import { WebUiAuth } from '../../core/agent/web-ui-auth.ts';
import { ManualClock } from '../support/manual-clock.ts';

describe('WebUiAuth', () => {
  it('redeems a ticket once, for credentials whose cookie and key both have to match', () => {
    const auth = new WebUiAuth({ clock: new ManualClock() });
    const { ticket } = auth.createTicket();
    const credentials = auth.redeem(ticket);
    expect(credentials).not.toBeNull();
    expect(auth.redeem(ticket)).toBeNull();
    const { cookie, key } = credentials ?? { cookie: '', key: '' };
    expect(cookie).not.toBe(key);
    expect(auth.check(cookie, key)).toBe(true);
    expect(auth.hasSession(cookie)).toBe(true);
    expect(auth.check(cookie, cookie)).toBe(false);
    expect(auth.check(key, key)).toBe(false);
    expect(auth.check(cookie, null)).toBe(false);
    expect(auth.check(null, key)).toBe(false);
    expect(auth.hasSession(key)).toBe(false);
  });

  it('lets a ticket expire after its lifetime and a session after its own', () => {
    const clock = new ManualClock();
    const auth = new WebUiAuth({ clock, ticketLifetimeMs: 1_000, sessionLifetimeMs: 5_000 });
    const late = auth.createTicket();
    expect(late.expiresAt).toBe(clock.now() + 1_000);
    clock.advance(1_000);
    expect(auth.redeem(late.ticket)).toBeNull();
    const credentials = auth.redeem(auth.createTicket().ticket);
    clock.advance(4_999);
    expect(auth.check(credentials?.cookie ?? null, credentials?.key ?? null)).toBe(true);
    clock.advance(1);
    expect(auth.check(credentials?.cookie ?? null, credentials?.key ?? null)).toBe(false);
    expect(auth.hasSession(credentials?.cookie ?? null)).toBe(false);
  });

  it('keeps at most 64 tickets and 16 sessions, dropping the oldest', () => {
    const auth = new WebUiAuth({ clock: new ManualClock() });
    const tickets = Array.from({ length: 65 }, () => auth.createTicket().ticket);
    expect(auth.redeem(tickets[0] ?? '')).toBeNull();
    const sessions = tickets.slice(1, 18).map((ticket) => auth.redeem(ticket));
    expect(sessions.every((session) => session !== null)).toBe(true);
    expect(auth.hasSession(sessions[0]?.cookie ?? null)).toBe(false);
    expect(auth.hasSession(sessions[1]?.cookie ?? null)).toBe(true);
    expect(auth.hasSession(sessions[16]?.cookie ?? null)).toBe(true);
  });

  it('refuses values that are not 256-bit base64url before looking them up', () => {
    const auth = new WebUiAuth({ clock: new ManualClock() });
    for (const value of ['', 'short', 'A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}=`, `${'A'.repeat(42)}/`]) {
      expect(auth.redeem(value)).toBeNull();
      expect(auth.hasSession(value)).toBe(false);
    }
  });
});
