import { parseDeepLink, type DeepLink } from './deep-link.ts';

// Links that arrive before the engine is ready wait here; a burst of them (a page opening the
// scheme in a loop) is cut short rather than queued without end.
const maxWaiting = 4;

/** Collects deep links from every source (argv, a second instance, macOS `open-url`) and hands valid ones on once a handler is ready. */
export class DeepLinkInbox {
  readonly #waiting: DeepLink[] = [];
  readonly #onRefused: (reason: string) => void;
  #handler: ((link: DeepLink) => void) | null = null;

  constructor(onRefused: (reason: string) => void) {
    this.#onRefused = onRefused;
  }

  /** Takes a link as received; anything that is not a valid deep link is refused and goes no further. */
  receive(text: string): void {
    const link = parseDeepLink(text);
    if (link === null) return this.#onRefused('not a valid latchkey://login?site=… link');
    if (this.#handler !== null) return this.#handler(link);
    if (this.#waiting.length >= maxWaiting) return this.#onRefused('too many links before the app was ready');
    this.#waiting.push(link);
  }

  /** Sets the handler and gives it the links that were waiting, in order. */
  deliverTo(handler: (link: DeepLink) => void): void {
    this.#handler = handler;
    for (const link of this.#waiting.splice(0)) handler(link);
  }
}
