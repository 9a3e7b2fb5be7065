import { readFileSync } from 'node:fs';

/** Latchkey's version, from its package.json. */
export const latchkeyVersion: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
