import type { ActivityEntry } from '../operations/contract.ts';

/** The recent hand-outs of sessions, newest first, bounded so a busy script cannot grow it forever. */
export class ActivityLog {
  readonly #limit: number;
  // Oldest first, cut back to the limit only once it holds twice as many: a record is an append
  // on the agent's hot path, never a shift of every entry.
  #entries: ActivityEntry[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Records that `client` got the session of `site` at `time` (epoch ms). */
  record(site: string, client: string | null, time: number): ActivityEntry {
    const entry = { site, client, time: new Date(time).toISOString() };
    this.#entries.push(entry);
    if (this.#entries.length >= 2 * this.#limit) this.#entries = this.#entries.slice(-this.#limit);
    return entry;
  }

  /** A copy of the last `limit` entries, newest first. */
  entries(): ActivityEntry[] {
    return this.#entries
      .slice(-this.#limit)
      .reverse()
      .map((entry) => ({ ...entry }));
  }
}
