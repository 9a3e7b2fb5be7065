import { describe, expect, it } from 'vitest';
import { MemoryVault } from '../../../core/sessions/memory-vault.ts';
import { makeSession } from './fixtures/make-session.ts';

describe('MemoryVault', () => {
  it('reports memory protection and starts empty', async () => {
    const vault = new MemoryVault();
    expect(vault.protection).toBe('memory');
    expect(await vault.load()).toEqual({ sessions: {} });
  });

  it('returns what was saved last', async () => {
    const vault = new MemoryVault({ alpha: makeSession('alpha') });
    await vault.save({ beta: makeSession('beta') });
    expect(await vault.load()).toEqual({ sessions: { beta: makeSession('beta') } });
  });

  it('keeps copies, so changing a saved or loaded object changes nothing held', async () => {
    const vault = new MemoryVault();
    const saved = { alpha: makeSession('alpha') };
    await vault.save(saved);
    saved.alpha.user = 'changed-after-save';
    const loaded = await vault.load();
    expect(loaded.sessions.alpha?.user).toBe('ada');
    if (loaded.sessions.alpha) loaded.sessions.alpha.user = 'changed-after-load';
    expect((await vault.load()).sessions.alpha?.user).toBe('ada');
  });
});
