import { fileURLToPath } from 'node:url';

/** This installation's bin script (bin/latchkey.js), whichever way the command was launched: what a started or registered agent runs. */
export function latchkeyBin(): string {
  return fileURLToPath(new URL('../bin/latchkey.js', import.meta.url));
}
