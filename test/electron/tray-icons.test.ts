import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const resources = join(import.meta.dirname, '..', '..', 'resources');

interface Png {
  width: number;
  height: number;
  colourType: number;
  rgba: Uint8Array;
}

/** Reads a PNG written by electron/scripts/make-icons.ts, checking its structure and every chunk's CRC. */
function readPng(path: string): Png {
  const bytes = readFileSync(path);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('ascii', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    expect(bytes.readUInt32BE(at + 8 + length)).toBe(crc32(bytes.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const header = chunks[0]?.data as Buffer;
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const raw = inflateSync(chunks[1]?.data as Buffer);
  expect(raw.length).toBe(height * (width * 4 + 1));
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0); // filter type None, as written
    rgba.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, colourType: header[9] as number, rgba };
}

/** The average colour of the opaque pixels, and how many there are. */
function opaque(png: Png): { count: number; red: number; green: number; blue: number } {
  let count = 0, red = 0, green = 0, blue = 0;
  for (let at = 0; at < png.rgba.length; at += 4) {
    if ((png.rgba[at + 3] as number) < 255) continue;
    count++;
    red += png.rgba[at] as number;
    green += png.rgba[at + 1] as number;
    blue += png.rgba[at + 2] as number;
  }
  return { count, red: red / count, green: green / count, blue: blue / count };
}

describe('tray icons', () => {
  const dominant: Record<string, 'red' | 'green' | 'blue'> = { ok: 'green', attention: 'red', busy: 'blue' };
  for (const state of ['ok', 'attention', 'busy']) {
    for (const [suffix, size] of [['', 16], ['@2x', 32]] as const) {
      it(`tray-${state}${suffix}.png is a ${size} px RGBA badge, ${dominant[state]} for "${state}", with transparent corners`, () => {
        const png = readPng(join(resources, 'tray', `tray-${state}${suffix}.png`));
        expect([png.width, png.height, png.colourType]).toEqual([size, size, 6]);
        expect(png.rgba[3]).toBe(0);
        expect(png.rgba[png.rgba.length - 1]).toBe(0);
        const colour = opaque(png);
        expect(colour.count).toBeGreaterThan(size * size * 0.4);
        const channel = dominant[state] as 'red' | 'green' | 'blue';
        const others = (['red', 'green', 'blue'] as const).filter((name) => name !== channel);
        for (const other of others) expect(colour[channel]).toBeGreaterThan(colour[other]);
      });
    }
  }
});

describe('app icon', () => {
  it('is a 512 px RGBA image, large enough for every installer', () => {
    const png = readPng(join(resources, 'icon.png'));
    expect([png.width, png.height, png.colourType]).toEqual([512, 512, 6]);
    expect(opaque(png).count).toBeGreaterThan(512 * 512 * 0.8);
  });
});
