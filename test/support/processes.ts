import { readdirSync, readFileSync } from 'node:fs';

/** The pids of processes whose command line names `text` (Linux's /proc): a browser by its profile folder. */
export function processesNaming(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) found.push(Number(entry));
    } catch {
      // The process ended while the list was read.
    }
  }
  return found;
}
