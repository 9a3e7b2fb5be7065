import { Notification } from 'electron';
import type { Notice } from './common/attention-watch.ts';

/** Desktop notifications, shown only while the person has them switched on. */
export class Notifier {
  readonly #enabled: () => boolean;
  // Held until closed: a notification that is garbage-collected loses its click handler.
  readonly #showing = new Set<Notification>();

  constructor(enabled: () => boolean) {
    this.#enabled = enabled;
  }

  /** Shows `notice`; `onClick` runs when the person clicks it. */
  show(notice: Notice, onClick: () => void): void {
    if (!this.#enabled() || !Notification.isSupported()) return;
    const notification = new Notification({ title: notice.title, body: notice.body });
    this.#showing.add(notification);
    notification.on('click', onClick);
    notification.on('close', () => this.#showing.delete(notification));
    notification.show();
  }
}
