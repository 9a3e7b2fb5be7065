import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { systemClock, type Clock } from '../clock.ts';
import { registerSecret } from '../secrets.ts';

/** How long the web UI's credentials last, and how many are kept. */
export interface WebUiAuthOptions {
  clock?: Clock;
  /** A ticket opens the UI once within this time (default 60 s). */
  ticketLifetimeMs?: number;
  /** A UI session lasts this long after the ticket was exchanged (default 12 h). */
  sessionLifetimeMs?: number;
}

/** What a redeemed ticket gives the browser: the cookie, and the key the page sends in a header. */
export interface UiCredentials {
  cookie: string;
  key: string;
}

// 256 random bits each, base64url: 43 characters. Anything else is refused before it is hashed.
const secretShape = /^[A-Za-z0-9_-]{43}$/;
// Bounds, so a caller that mints tickets in a loop cannot grow the agent's memory.
const maxTickets = 64;
const maxSessions = 16;

function freshSecret(): string {
  const value = randomBytes(32).toString('base64url');
  registerSecret(value);
  return value;
}

/** Secrets are kept only as digests: a memory dump or a Map lookup's timing gives nothing usable. */
function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/** Drops the oldest entries (Maps keep insertion order) until `map` has room for one more. */
function makeRoom(map: Map<string, unknown>, limit: number): void {
  for (const key of map.keys()) {
    if (map.size < limit) return;
    map.delete(key);
  }
}

/**
 * The web UI's credentials, in memory only. A ticket (printed by `latchkey ui`) is single use and
 * short-lived; redeeming it creates a UI session made of two secrets: a cookie (HttpOnly, so page
 * scripts cannot read it) and a key (handed to the page in the URL fragment, which is never sent
 * to a server). Cookies are not isolated by port (RFC 6265 section 8.5), so any other server on
 * 127.0.0.1 the browser visits receives the cookie; the key is what such a server never sees.
 */
export class WebUiAuth {
  readonly #clock: Clock;
  readonly #ticketLifetimeMs: number;
  readonly #sessionLifetimeMs: number;
  /** Ticket digest → expiry (epoch ms). */
  readonly #tickets = new Map<string, number>();
  /** Cookie digest → the key's digest and the session's expiry. */
  readonly #sessions = new Map<string, { key: Buffer; expiresAt: number }>();

  constructor(options: WebUiAuthOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#ticketLifetimeMs = options.ticketLifetimeMs ?? 60_000;
    this.#sessionLifetimeMs = options.sessionLifetimeMs ?? 12 * 60 * 60_000;
  }

  /** A fresh ticket, valid once within the ticket lifetime. */
  createTicket(): { ticket: string; expiresAt: number } {
    this.#sweep();
    makeRoom(this.#tickets, maxTickets);
    const ticket = freshSecret();
    const expiresAt = this.#clock.now() + this.#ticketLifetimeMs;
    this.#tickets.set(digest(ticket), expiresAt);
    return { ticket, expiresAt };
  }

  /** Exchanges a ticket for UI credentials; null when it is unknown, used or expired. A ticket is gone once presented. */
  redeem(ticket: string): UiCredentials | null {
    this.#sweep();
    if (!secretShape.test(ticket)) return null;
    const id = digest(ticket);
    if (!this.#tickets.delete(id)) return null;
    makeRoom(this.#sessions, maxSessions);
    const credentials = { cookie: freshSecret(), key: freshSecret() };
    this.#sessions.set(digest(credentials.cookie), {
      key: Buffer.from(digest(credentials.key)),
      expiresAt: this.#clock.now() + this.#sessionLifetimeMs,
    });
    return credentials;
  }

  /** True when `cookie` names a live UI session (enough for the page's own files, which hold nothing secret). */
  hasSession(cookie: string | null): boolean {
    this.#sweep();
    return cookie !== null && secretShape.test(cookie) && this.#sessions.has(digest(cookie));
  }

  /** True when `cookie` names a live UI session and `key` is that session's key (needed for the API). */
  check(cookie: string | null, key: string | null): boolean {
    this.#sweep();
    if (cookie === null || key === null || !secretShape.test(cookie) || !secretShape.test(key)) return false;
    const session = this.#sessions.get(digest(cookie));
    return session !== undefined && timingSafeEqual(session.key, Buffer.from(digest(key)));
  }

  #sweep(): void {
    const now = this.#clock.now();
    for (const [id, expiresAt] of this.#tickets) if (expiresAt <= now) this.#tickets.delete(id);
    for (const [id, session] of this.#sessions) if (session.expiresAt <= now) this.#sessions.delete(id);
  }
}
