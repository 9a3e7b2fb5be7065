import { describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../../core/common/errors.ts';
import { uiOperationNames, operationRoutes, type OperationName } from '../../../core/common/operations.ts';
import type { Caller, OperationHandlers } from '../../../core/operations/inputs.ts';
import { appCaller, refusedSender, runUiOperation } from '../../../electron/common/ipc-call.ts';
import { eventChannel, isUiOperationName, operationChannels } from '../../../electron/common/ipc-channels.ts';

interface Call {
  name: OperationName;
  input: unknown;
  caller: Caller;
}

/** Handlers that record their calls and answer `{ handled: name }`, or run `behaviour` when given. */
function recordingHandlers(behaviour?: (name: OperationName, input: unknown) => unknown): { handlers: OperationHandlers; calls: Call[] } {
  const calls: Call[] = [];
  const entries = (Object.keys(operationRoutes) as OperationName[]).map((name) => [
    name,
    async (input: unknown, caller: Caller) => {
      calls.push({ name, input, caller });
      return behaviour ? behaviour(name, input) : { handled: name };
    },
  ]);
  return { handlers: Object.fromEntries(entries) as OperationHandlers, calls };
}

describe('runUiOperation', () => {
  it('calls the handler with the validated input, defaults filled in, and wraps the value', async () => {
    const { handlers, calls } = recordingHandlers();
    const result = await runUiOperation(handlers, 'login', { id: 'mystudio' });
    expect(result).toEqual({ ok: true, value: { handled: 'login' } });
    expect(calls).toEqual([{ name: 'login', input: { id: 'mystudio', force: false }, caller: appCaller }]);
  });

  it('takes a missing request as no fields', async () => {
    const { handlers, calls } = recordingHandlers();
    expect(await runUiOperation(handlers, 'status', undefined)).toEqual({ ok: true, value: { handled: 'status' } });
    expect(calls.map((call) => call.input)).toEqual([{}]);
  });

  it('refuses getSession, so no session value ever reaches the renderer', async () => {
    const { handlers, calls } = recordingHandlers();
    const result = await runUiOperation(handlers, 'getSession', { id: 'mystudio' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('not_found');
    expect(calls).toEqual([]);
  });

  it('refuses a name that is not an operation, or not a string', async () => {
    const { handlers, calls } = recordingHandlers();
    for (const name of ['constructor', '__proto__', 'toString', '', 42, null, { name: 'status' }]) {
      const result = await runUiOperation(handlers, name, {});
      expect(result.ok ? 'ok' : result.error.code).toBe('not_found');
    }
    expect(calls).toEqual([]);
  });

  const badRequests: { request: unknown; why: string }[] = [
    { request: { id: 42 }, why: 'a field of the wrong type' },
    { request: { id: 'mystudio', extra: true }, why: 'an unknown field' },
    { request: {}, why: 'a missing field' },
    { request: ['mystudio'], why: 'an array' },
    { request: 'mystudio', why: 'a string' },
    { request: null, why: 'null' },
  ];
  for (const { request, why } of badRequests) {
    it(`refuses ${why} as bad_request without calling the handler`, async () => {
      const { handlers, calls } = recordingHandlers();
      const result = await runUiOperation(handlers, 'logout', request);
      expect(result.ok ? 'ok' : result.error.code).toBe('bad_request');
      expect(calls).toEqual([]);
    });
  }

  it('names the bad field but never echoes the value sent', async () => {
    const { handlers } = recordingHandlers();
    const result = await runUiOperation(handlers, 'addSite', { url: 'x'.repeat(3000) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain('"url"');
    expect(result.error.message).not.toContain('xxxx');
  });

  it('carries a LatchkeyError as its code, message and hint', async () => {
    const { handlers } = recordingHandlers(() => {
      throw new LatchkeyError('site_not_found', 'No site mystudio.', { hint: 'Run `latchkey sites`.' });
    });
    expect(await runUiOperation(handlers, 'logout', { id: 'mystudio' })).toEqual({
      ok: false,
      error: { code: 'site_not_found', message: 'No site mystudio.', hint: 'Run `latchkey sites`.' },
    });
  });

  it('hides the message of an unexpected error, which could hold anything', async () => {
    const { handlers } = recordingHandlers(() => {
      throw new Error('secret-session-value in a stack');
    });
    const result = await runUiOperation(handlers, 'status', {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('internal');
    expect(JSON.stringify(result)).not.toContain('secret-session-value');
  });
});

describe('refusedSender', () => {
  it('is a forbidden error result', () => {
    const result = refusedSender();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('forbidden');
  });
});

describe('operationChannels', () => {
  it('has one distinct channel per UI operation and none for getSession', () => {
    expect(Object.keys(operationChannels).sort()).toEqual([...uiOperationNames].sort());
    expect(new Set(Object.values(operationChannels)).size).toBe(uiOperationNames.length);
    expect(Object.values(operationChannels)).not.toContain(eventChannel);
    expect(operationChannels).not.toHaveProperty('getSession');
    expect(operationChannels.login).toBe('latchkey:op:login');
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(operationChannels)).toBe(true);
  });
});

describe('isUiOperationName', () => {
  it('accepts every UI operation and nothing else', () => {
    for (const name of uiOperationNames) expect(isUiOperationName(name)).toBe(true);
    for (const name of ['getSession', 'hasOwnProperty', '__proto__', 'LOGIN', 1, undefined]) expect(isUiOperationName(name)).toBe(false);
  });
});
