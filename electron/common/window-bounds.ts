/** A rectangle in screen coordinates (Electron's `Rectangle`, without the import). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

// How much of the saved window must still be on a display for it to be reachable: its title
// bar's worth, so the person can grab it and drag it back.
const reachableWidth = 120;
const reachableHeight = 40;

/**
 * The saved bounds if enough of the window would be on one of the displays' work areas, or null
 * (use the default placement): a monitor unplugged since the last run would otherwise leave the
 * window somewhere nobody can see it.
 */
export function restorableBounds(saved: Rect | null, workAreas: readonly Rect[]): Rect | null {
  if (saved === null) return null;
  const visible = workAreas.some((area) => {
    const width = Math.min(saved.x + saved.width, area.x + area.width) - Math.max(saved.x, area.x);
    const height = Math.min(saved.y + saved.height, area.y + area.height) - Math.max(saved.y, area.y);
    return width >= Math.min(reachableWidth, saved.width) && height >= Math.min(reachableHeight, saved.height);
  });
  return visible ? saved : null;
}
