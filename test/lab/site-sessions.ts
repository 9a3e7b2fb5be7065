import { randomBytes } from 'node:crypto';
import type { LabClock } from './lab-clock.ts';
import { recordIssuedSecret } from './secret-record.ts';

/** One session the site handed out. */
export interface SiteSession {
  id: string;
  user: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/**
 * The site's sessions, in memory. Every id it issues is also remembered, and written to
 * `$LATCHKEY_TEST_RUN_DIR/secrets.txt` when that is set, so the test runner can search every log
 * of the run for a leaked session value.
 */
export class SiteSessions {
  readonly #sessions = new Map<string, SiteSession>();
  readonly #issued: string[] = [];
  readonly #clock: LabClock;

  /** `clock` says when sessions end (tests move it by hand). */
  constructor(clock: LabClock) {
    this.#clock = clock;
  }

  /** Starts a session for `user` lasting `lifetimeSeconds`; the id is 32 random bytes, base64url, unless given. */
  issue(user: string, lifetimeSeconds: number, id = randomBytes(32).toString('base64url')): SiteSession {
    const session = { id, user, expiresAt: this.#clock.now() + lifetimeSeconds * 1000 };
    this.#sessions.set(session.id, session);
    this.#issued.push(session.id);
    recordIssuedSecret(session.id);
    return session;
  }

  /** The live session with this id, or undefined when it is unknown, revoked or expired. */
  find(id: string | undefined): SiteSession | undefined {
    if (id === undefined) return undefined;
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    if (session.expiresAt <= this.#clock.now()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  /** Ends one session (a logout); true when it was live. */
  revoke(id: string | undefined): boolean {
    return id !== undefined && this.#sessions.delete(id);
  }

  /** Ends every session at once (as a server-side logout or a restart would). */
  revokeAll(): number {
    const count = this.#sessions.size;
    this.#sessions.clear();
    return count;
  }

  /** Every session id ever issued, oldest first, revoked and expired ones included. */
  issued(): string[] {
    return [...this.#issued];
  }
}
