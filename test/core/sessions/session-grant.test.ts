import { describe, expect, it } from 'vitest';
import { MemoryVault } from '../../../core/sessions/memory-vault.ts';
import { toGrant } from '../../../core/sessions/session-grant.ts';
import { SessionStore } from '../../../core/sessions/session-store.ts';
import { makeSession } from './fixtures/make-session.ts';

describe('toGrant', () => {
  it('hands out a copy: changing it leaves the stored session as it was', async () => {
    const store = await SessionStore.open(new MemoryVault());
    await store.put(makeSession('studio'));
    const stored = store.get('studio')!;
    const grant = toGrant(stored, 'store');
    grant.credential.value = 'changed by a caller';
    grant.cookies[0]!.value = 'changed by a caller';
    expect(stored.credential.value).not.toBe('changed by a caller');
    expect(stored.cookies[0]!.value).not.toBe('changed by a caller');
    expect(toGrant(stored, 'renewed')).toEqual({ ...toGrant(stored, 'store'), source: 'renewed' });

    // A renewal stores a new session: its grant carries the new value, never the old one.
    await store.put({ ...makeSession('studio'), credential: { ...stored.credential, value: 'the-renewed-value' } });
    expect(toGrant(store.get('studio')!, 'store').credential.value).toBe('the-renewed-value');
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
