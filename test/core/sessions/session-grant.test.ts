import { describe, expect, it } from 'vitest';
import { MemoryVault } from '../../../core/sessions/memory-vault.ts';
import { isGrant, toGrant } from '../../../core/sessions/session-grant.ts';
import { SessionStore } from '../../../core/sessions/session-store.ts';
import { makeSession } from './fixtures/make-session.ts';

describe('toGrant', () => {
  it('makes one frozen grant per stored session and source, and a new one for a new session', async () => {
    const store = await SessionStore.open(new MemoryVault());
    await store.put(makeSession('studio'));
    const stored = store.get('studio')!;
    const grant = toGrant(stored, 'store');
    expect(toGrant(stored, 'store')).toBe(grant);
    expect(Object.isFrozen(grant) && Object.isFrozen(grant.credential) && Object.isFrozen(grant.cookies[0]) && Object.isFrozen(grant.headers)).toBe(true);
    expect(toGrant(stored, 'renewed')).not.toBe(grant);
    expect(toGrant(stored, 'renewed')).toEqual({ ...grant, source: 'renewed' });

    // A renewal stores a new session: its grant carries the new value, never the old one.
    await store.put({ ...makeSession('studio'), credential: { ...stored.credential, value: 'the-renewed-value' } });
    const renewed = toGrant(store.get('studio')!, 'store');
    expect(renewed).not.toBe(grant);
    expect(renewed.credential.value).toBe('the-renewed-value');
  });

  it('marks only its own grants as ones whose answer may be kept', async () => {
    const store = await SessionStore.open(new MemoryVault());
    await store.put(makeSession('studio'));
    const grant = toGrant(store.get('studio')!, 'store');
    expect([isGrant(grant), isGrant({ ...grant }), isGrant(structuredClone(grant)), isGrant(null), isGrant('grant')]).toEqual([true, false, false, false, false]);
  });
});

describe('SessionStore', () => {
  it('freezes what it stores, loaded or put: a session is replaced, never changed in place', async () => {
    const store = await SessionStore.open(new MemoryVault({ cloud: makeSession('cloud') }));
    await store.put(makeSession('studio'));
    for (const siteId of ['cloud', 'studio']) {
      const session = store.get(siteId)!;
      expect(() => {
        session.credential.value = 'changed in place';
      }).toThrow(TypeError);
      expect(() => session.cookies.push(session.cookies[0]!)).toThrow(TypeError);
    }
  });
});
