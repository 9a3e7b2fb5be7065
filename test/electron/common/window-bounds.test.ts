import { describe, expect, it } from 'vitest';
import { restorableBounds } from '../../../electron/common/window-bounds.ts';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const monitor = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('restorableBounds', () => {
  it('keeps bounds that lie on a display', () => {
    const saved = { x: 100, y: 100, width: 880, height: 640 };
    expect(restorableBounds(saved, [laptop])).toEqual(saved);
  });

  it('keeps bounds on a second display', () => {
    const saved = { x: 2000, y: 200, width: 880, height: 640 };
    expect(restorableBounds(saved, [laptop, monitor])).toEqual(saved);
  });

  it('keeps a window mostly off screen while its title bar can still be grabbed', () => {
    const saved = { x: 1300, y: 860, width: 880, height: 640 };
    expect(restorableBounds(saved, [laptop])).toEqual(saved);
  });

  it('drops bounds on a display that is gone', () => {
    expect(restorableBounds({ x: 2000, y: 200, width: 880, height: 640 }, [laptop])).toBeNull();
  });

  it('drops bounds with only a sliver left on screen', () => {
    expect(restorableBounds({ x: 1430, y: 100, width: 880, height: 640 }, [laptop])).toBeNull();
  });

  it('has nothing to restore when nothing was saved', () => {
    expect(restorableBounds(null, [laptop])).toBeNull();
  });
});
