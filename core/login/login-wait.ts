import type { Timer } from '../clock.ts';
import type { LoginContext } from './login-strategy.ts';
import { LoginStepError } from './login-step-error.ts';

/**
 * Waits for `work` while the login may go on: its deadline passing ends the login `timeout`, and
 * a stop (a logout meanwhile) `cancelled`. For logins that happen outside our window, where no
 * window event can end them. `goal` names what the login waits for, in the timeout's reason.
 */
export function untilSettled<T>(work: Promise<T>, context: LoginContext, goal: string): Promise<T> {
  const { signal, cancel } = context;
  return new Promise<T>((resolve, reject) => {
    const onDeadline = (): void => {
      done();
      reject(new LoginStepError({ ending: 'timeout', reason: `The login's time ran out while waiting for ${goal}.`, ...(context.interactive ? {} : { needsPerson: true }) }));
    };
    const onCancel = (): void => {
      done();
      reject(new LoginStepError({ ending: 'cancelled', reason: 'The login was stopped: the site was logged out meanwhile.' }));
    };
    const done = (): void => {
      signal.removeEventListener('abort', onDeadline);
      cancel.removeEventListener('abort', onCancel);
    };
    if (cancel.aborted) return onCancel();
    if (signal.aborted) return onDeadline();
    signal.addEventListener('abort', onDeadline, { once: true });
    cancel.addEventListener('abort', onCancel, { once: true });
    work.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: unknown) => {
        done();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Waits `ms` on the login's clock (between two polls), ending the login as untilSettled does. */
export function pause(ms: number, context: LoginContext, goal: string): Promise<void> {
  let timer: Timer | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = context.clock.setTimer(ms, resolve, 'login poll');
  });
  return untilSettled(elapsed, context, goal).finally(() => timer?.cancel());
}
