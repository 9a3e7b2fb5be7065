import { readFileSync } from 'node:fs';

// Set by the build (build-cli.ts); the sources read package.json instead.
declare const LATCHKEY_VERSION: string | undefined;

/** Latchkey's version, from its package.json. */
export const latchkeyVersion: string =
  typeof LATCHKEY_VERSION === 'string'
    ? LATCHKEY_VERSION
    : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
