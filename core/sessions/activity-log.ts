import type { ActivityEntry } from '../operations/contract.ts';

/** The recent hand-outs of sessions, newest first, bounded so a busy script cannot grow it forever. */
export class ActivityLog {
  readonly #limit: number;
  readonly #entries: ActivityEntry[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Records that `client` got the session of `site` at `time` (epoch ms). */
  record(site: string, client: string | null, time: number): ActivityEntry {
    const entry = { site, client, time: new Date(time).toISOString() };
    this.#entries.unshift(entry);
    if (this.#entries.length > this.#limit) this.#entries.length = this.#limit;
    return entry;
  }

  /** A copy of the entries, newest first. */
  entries(): ActivityEntry[] {
    return this.#entries.map((entry) => ({ ...entry }));
  }
}
