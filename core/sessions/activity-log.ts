import type { ActivityEntry } from '../common/views.ts';

// Hand-outs come in bursts, many within one millisecond: its text is made once.
let lastTime = Number.NaN;
let lastText = '';
function isoTime(time: number): string {
  if (time !== lastTime) {
    lastTime = time;
    lastText = new Date(time).toISOString();
  }
  return lastText;
}

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
    const entry = { site, client, time: isoTime(time) };
    this.#entries.push(entry);
    if (this.#entries.length >= 2 * this.#limit) this.#entries = this.#entries.slice(this.#entries.length - this.#limit);
    return entry;
  }

  /** A copy of the last `limit` entries, newest first. */
  entries(): ActivityEntry[] {
    return this.#entries
      .slice(Math.max(0, this.#entries.length - this.#limit))
      .reverse()
      .map((entry) => ({ ...entry }));
  }
}
