#!/usr/bin/env node
// Latchkey's sources are TypeScript run by Node's own type stripping (Node >= 22.18 strips by
// default; 22.12 to 22.17 need the flag, so the command starts itself again with it there).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
if (process.features.typescript) {
  await import(main);
} else {
  const child = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', main, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exitCode = child.status ?? 1;
}
