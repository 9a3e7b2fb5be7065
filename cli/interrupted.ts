import { LatchkeyError } from '../core/common/errors.ts';

/** The interruption that aborts a command's signal: which signal arrived (Ctrl-C is SIGINT; a reader gone is SIGPIPE). */
export class Interrupted extends LatchkeyError {
  readonly signal: NodeJS.Signals;

  constructor(signal: NodeJS.Signals) {
    super('interrupted', `Interrupted (${signal}).`);
    this.name = 'Interrupted';
    this.signal = signal;
  }
}
