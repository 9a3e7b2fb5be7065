// `node electron/scripts/make-icons.ts`: draws the tray icons (one per tray state, 16 px and
// 32 px for high-density displays) and the 512 px app icon into resources/, with nothing but
// Node: shapes are sampled 4×4 per pixel for smooth edges and written as RGBA PNGs with zlib.
// The PNGs are committed; run this again only to change them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

type Rgba = readonly [number, number, number, number];
/** A layer: the colour at a point of the unit square, or null where the layer is empty. */
type Layer = (x: number, y: number) => Rgba | null;

const resources = join(import.meta.dirname, '..', '..', 'resources');

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes RGBA pixels (row by row) as a PNG (RFC 2083): 8-bit colour type 6, no filtering. */
function encodePng(width: number, height: number, pixels: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const stride = width * 4;
  const rows = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) rows.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Draws layers (later ones on top) at `size` px, averaging 4×4 samples per pixel. */
function render(size: number, layers: readonly Layer[]): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          const colour = layers.reduce<Rgba | null>((below, layer) => layer(x, y) ?? below, null);
          if (colour === null) continue;
          r += colour[0] * colour[3]; g += colour[1] * colour[3]; b += colour[2] * colour[3]; a += colour[3];
        }
      }
      const at = (py * size + px) * 4;
      if (a > 0) pixels.set([Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round(a / (samples * samples))], at);
    }
  }
  return pixels;
}

const disc = (cx: number, cy: number, radius: number, colour: Rgba): Layer => (x, y) => (Math.hypot(x - cx, y - cy) <= radius ? colour : null);

function distanceToSegment(x: number, y: number, [ax, ay]: readonly [number, number], [bx, by]: readonly [number, number]): number {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

/** A round-capped line through `points`, `width` wide. */
const stroke = (points: ReadonlyArray<readonly [number, number]>, width: number, colour: Rgba): Layer => (x, y) =>
  points.slice(1).some((point, i) => distanceToSegment(x, y, points[i] as readonly [number, number], point) <= width / 2) ? colour : null;

const white: Rgba = [255, 255, 255, 255];

/** A tray badge: a disc with a darker rim (visible on light and dark panels) and a white glyph. */
function badge(fill: Rgba, rim: Rgba, glyph: readonly Layer[]): Layer[] {
  return [disc(0.5, 0.5, 0.48, rim), disc(0.5, 0.5, 0.4, fill), ...glyph];
}

const trayIcons: Record<string, Layer[]> = {
  // All good: a check mark on green.
  ok: badge([46, 158, 91, 255], [24, 98, 54, 255], [stroke([[0.29, 0.52], [0.44, 0.67], [0.72, 0.36]], 0.13, white)]),
  // A site needs the person: an exclamation mark on amber.
  attention: badge([222, 140, 0, 255], [150, 88, 0, 255], [stroke([[0.5, 0.25], [0.5, 0.5]], 0.14, white), disc(0.5, 0.75, 0.08, white)]),
  // Busy: three dots on blue.
  busy: badge([47, 111, 219, 255], [26, 66, 140, 255], [0.28, 0.5, 0.72].map((x) => disc(x, 0.5, 0.08, white))),
};

/** The app icon: a gold keyhole on a dark rounded square. */
function appIcon(): Layer[] {
  const radius = 0.2;
  const square: Layer = (x, y) => {
    const dx = Math.max(radius - x, x - (1 - radius), 0);
    const dy = Math.max(radius - y, y - (1 - radius), 0);
    return x >= 0.02 && x <= 0.98 && y >= 0.02 && y <= 0.98 && Math.hypot(dx, dy) <= radius - 0.02 ? [31, 42, 68, 255] : null;
  };
  const gold: Rgba = [242, 193, 78, 255];
  const slot: Layer = (x, y) => {
    if (y < 0.44 || y > 0.76) return null;
    const halfWidth = 0.055 + ((y - 0.44) / 0.32) * 0.05;
    return Math.abs(x - 0.5) <= halfWidth ? gold : null;
  };
  return [square, disc(0.5, 0.4, 0.14, gold), slot];
}

if (import.meta.main) {
  for (const [state, layers] of Object.entries(trayIcons)) {
    writeFileSync(join(resources, 'tray', `tray-${state}.png`), encodePng(16, 16, render(16, layers)));
    writeFileSync(join(resources, 'tray', `tray-${state}@2x.png`), encodePng(32, 32, render(32, layers)));
  }
  writeFileSync(join(resources, 'icon.png'), encodePng(512, 512, render(512, appIcon())));
  console.log('Wrote resources/tray/tray-{ok,attention,busy}{,@2x}.png and resources/icon.png.');
}
