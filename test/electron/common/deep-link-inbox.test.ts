import { describe, expect, it } from 'vitest';
import { DeepLinkInbox } from '../../../electron/common/deep-link-inbox.ts';
import type { DeepLink } from '../../../electron/common/deep-link.ts';

function inbox(): { box: DeepLinkInbox; refused: string[] } {
  const refused: string[] = [];
  return { box: new DeepLinkInbox((reason) => refused.push(reason)), refused };
}

describe('DeepLinkInbox', () => {
  it('keeps valid links until a handler is ready, then delivers them in order', () => {
    const { box, refused } = inbox();
    box.receive('latchkey://login?site=a');
    box.receive('latchkey://login?site=b');
    const delivered: DeepLink[] = [];
    box.deliverTo((link) => delivered.push(link));
    expect(delivered).toEqual([{ action: 'login', site: 'a' }, { action: 'login', site: 'b' }]);
    expect(refused).toEqual([]);
  });

  it('delivers at once when a handler is ready', () => {
    const { box } = inbox();
    const delivered: DeepLink[] = [];
    box.deliverTo((link) => delivered.push(link));
    box.receive('latchkey://login?site=a');
    expect(delivered).toEqual([{ action: 'login', site: 'a' }]);
  });

  it('refuses an invalid link and never delivers it', () => {
    const { box, refused } = inbox();
    const delivered: DeepLink[] = [];
    box.deliverTo((link) => delivered.push(link));
    box.receive('latchkey://login?site=a&force=true');
    expect(delivered).toEqual([]);
    expect(refused).toEqual(['not a valid latchkey://login?site=… link']);
  });

  it('keeps at most four links before the handler is ready', () => {
    const { box, refused } = inbox();
    for (const site of ['a', 'b', 'c', 'd', 'e', 'f']) box.receive(`latchkey://login?site=${site}`);
    const delivered: DeepLink[] = [];
    box.deliverTo((link) => delivered.push(link));
    expect(delivered.map((link) => link.site)).toEqual(['a', 'b', 'c', 'd']);
    expect(refused).toEqual(['too many links before the app was ready', 'too many links before the app was ready']);
  });
});
