import { describe, expect, it } from 'vitest';
import { runLogin } from '../../../core/login/login-flow.ts';
import type { LoginWindowEvent } from '../../../core/login/login-window.ts';
import { ManualClock } from '../../support/manual-clock.ts';
import { cookie, ScriptedLoginWindows } from '../../support/scripted-login-window.ts';
import { testSite } from '../../support/sites.ts';

const site = testSite('https://studio.example.com');
const landing = 'https://studio.example.com/auth/landing';
const idp = 'https://idp.example.com/login';

type Emit = (event: LoginWindowEvent) => void;

/**
 * Runs one login against a scripted window, on a manual clock. `fire` names the timer to run once
 * the script has played (the deadline, or the silent settle): time passes only when a test says so.
 */
async function login(
  script: (emit: Emit) => void,
  options: { interactive?: boolean; fire?: 'login deadline' | 'silent settle'; jar?: ReturnType<typeof cookie>[]; sets?: ReturnType<typeof cookie>[] } = {},
) {
  let played: () => void = () => undefined;
  const scriptPlayed = new Promise<void>((resolve) => {
    played = resolve;
  });
  const windows = new ScriptedLoginWindows((emit) => {
    script(emit);
    played();
  });
  windows.cookieJar = options.jar ?? [];
  windows.siteSets = options.sets ?? [];
  const clock = new ManualClock();
  const running = runLogin({ site, windows, clock, interactive: options.interactive ?? true, timeoutMs: 2_000, settleMs: 50 });
  if (options.fire !== undefined) {
    await scriptPlayed;
    clock.runTimer(options.fire);
  }
  const result = await running;
  return { result, windows };
}

describe('runLogin', () => {
  it('ends ok at the landing page with the session cookie, and closes the window', async () => {
    const { result, windows } = await login(
      (emit) => {
        emit({ kind: 'redirected', from: site.url + '/auth/renew', to: idp });
        emit({ kind: 'committed', url: idp, status: 200 });
        emit({ kind: 'committed', url: landing, status: 200 });
      },
      { sets: [cookie('_session_id', 'new-session'), cookie('shotgun_current_user_login', 'ada')] },
    );
    expect(result).toMatchObject({ ending: 'ok', session: { user: 'ada', credential: { value: 'new-session' } } });
    expect(windows.navigations).toEqual(['https://studio.example.com/auth/renew?product=latchkey']);
    expect(windows.opened).toEqual([{ profileId: 'studio', visible: true, title: 'Log in to studio' }]);
    expect(windows.closedCount).toBe(1);
  });

  it('deletes the stale session cookie before an interactive login, so it is never captured', async () => {
    const { result, windows } = await login((emit) => emit({ kind: 'committed', url: landing, status: 200 }), {
      jar: [cookie('_session_id', 'stale')],
    });
    expect(windows.deleted).toEqual([{ url: site.url, name: '_session_id' }]);
    expect(result).toMatchObject({ ending: 'incomplete' });
  });

  it('keeps the cookies for a silent renewal and opens a hidden window', async () => {
    const { result, windows } = await login((emit) => emit({ kind: 'committed', url: landing, status: 200 }), {
      interactive: false,
      jar: [cookie('_session_id', 'renewed')],
    });
    expect(windows.opened[0]?.visible).toBe(false);
    // Captured, so not deleted first: only the capture's own clean-up took it out afterwards.
    expect(result).toMatchObject({ ending: 'ok', session: { credential: { value: 'renewed' } } });
    expect(windows.deleted).toEqual([{ url: site.url, name: '_session_id' }]);
  });

  it('takes the captured cookies out of the login profile once the session is stored (only the store keeps a credential)', async () => {
    const { result, windows } = await login((emit) => emit({ kind: 'committed', url: landing, status: 200 }), {
      interactive: false,
      jar: [cookie('_session_id', 'captured'), cookie('shotgun_current_user_login', 'ada'), cookie('idp_session', 'stays', { domain: 'idp.example.com' })],
    });
    expect(result).toMatchObject({ ending: 'ok', session: { credential: { value: 'captured' } } });
    if (result.ending !== 'ok') return;
    expect(windows.deleted).toEqual([...new Set(result.session.cookies.map((c) => c.name))].map((name) => ({ url: site.url, name })));
    expect(windows.deleted.map((entry) => entry.name)).toContain('_session_id');
    // A cookie-mode landing URL carries nothing: the cache stays.
    expect(windows.visitsForgotten).toBe(0);
  });

  it('does not take a look-alike landing for the landing', async () => {
    const { result } = await login(
      (emit) => {
        emit({ kind: 'committed', url: 'https://studio.example.com.evil.com/auth/landing', status: 200 });
        emit({ kind: 'committed', url: 'https://idp.example.com/?next=https://studio.example.com/auth/landing', status: 200 });
      },
      { fire: 'login deadline', jar: [cookie('_session_id', 'x')] },
    );
    expect(result).toMatchObject({ ending: 'timeout' });
  });

  it.each([
    ['cancelled', [{ kind: 'closed' }], {}],
    ['tls_error', [{ kind: 'failed', url: site.url, failure: 'tls', detail: 'net::ERR_CERT_AUTHORITY_INVALID' }], {}],
    ['network_error', [{ kind: 'failed', url: idp, failure: 'network', detail: 'net::ERR_CONNECTION_REFUSED' }], {}],
    ['redirect_loop', [{ kind: 'failed', url: site.url, failure: 'too_many_redirects', detail: 'net::ERR_TOO_MANY_REDIRECTS' }], {}],
    ['http_error', [{ kind: 'committed', url: landing, status: 500 }], { status: 500 }],
    ['http_error', [{ kind: 'committed', url: site.url + '/auth/renew', status: 404 }], { status: 404 }],
    ['http_error', [{ kind: 'committed', url: idp, status: 503 }], { status: 503 }],
  ] as const)('ends %s on %j', async (ending, events, extra) => {
    const { result, windows } = await login((emit) => events.forEach((event) => emit(event as LoginWindowEvent)));
    expect(result).toMatchObject({ ending, ...extra });
    expect(windows.closedCount).toBe(1);
  });

  it('lets the person go on after the identity provider answers 4xx (a mistyped password)', async () => {
    const { result } = await login(
      (emit) => {
        emit({ kind: 'committed', url: idp, status: 401 });
        emit({ kind: 'committed', url: landing, status: 200 });
      },
      { sets: [cookie('_session_id', 'x')] },
    );
    expect(result).toMatchObject({ ending: 'ok' });
  });

  it('ends `cancelled` when the person dismissed a Basic prompt (a 401 with a challenge committed), and needs the person when silent', async () => {
    const challenged = (emit: Emit): void => emit({ kind: 'committed', url: idp, status: 401, challenge: 'Basic' });
    expect((await login(challenged)).result).toEqual({ ending: 'cancelled', reason: 'The sign-in prompt of idp.example.com (Basic) was cancelled.' });
    expect((await login(challenged, { interactive: false })).result).toEqual({
      ending: 'http_error',
      status: 401,
      needsPerson: true,
      reason: 'idp.example.com asks for a user name and password (Basic); only the person can answer.',
    });
  });

  it('ignores an aborted navigation', async () => {
    const { result } = await login(
      (emit) => {
        emit({ kind: 'failed', url: idp, failure: 'aborted', detail: 'net::ERR_ABORTED' });
        emit({ kind: 'committed', url: landing, status: 200 });
      },
      { sets: [cookie('_session_id', 'x')] },
    );
    expect(result).toMatchObject({ ending: 'ok' });
  });

  it('ends redirect_loop when committed pages keep bouncing', async () => {
    const { result } = await login((emit) => {
      for (let i = 0; i < 20; i += 1) emit({ kind: 'committed', url: i % 2 ? idp : site.url + '/bounce', status: 200 });
    });
    expect(result).toMatchObject({ ending: 'redirect_loop' });
  });

  it('ends timeout when nothing lands in time', async () => {
    const { result } = await login((emit) => emit({ kind: 'committed', url: idp, status: 200 }), { fire: 'login deadline' });
    expect(result).toMatchObject({ ending: 'timeout' });
    expect(result).not.toHaveProperty('needsPerson');
  });

  it('says a person is needed when a silent renewal settles on a page that is not the landing', async () => {
    const { result } = await login(
      (emit) => {
        emit({ kind: 'committed', url: idp, status: 200 });
        emit({ kind: 'loaded', url: idp });
      },
      { interactive: false, fire: 'silent settle' },
    );
    expect(result).toMatchObject({ ending: 'timeout', needsPerson: true });
  });

  it('never puts a query string in the reason', async () => {
    const { result } = await login((emit) =>
      emit({ kind: 'failed', url: 'https://idp.example.com/cb?code=SECRETCODE', failure: 'network', detail: 'net::ERR_CONNECTION_RESET' }),
    );
    expect(JSON.stringify(result)).not.toContain('SECRETCODE');
  });
});
