#!/usr/bin/env node
// Latchkey's sources are TypeScript run by Node's own type stripping (Node >= 22.18 strips by
// default; 22.12 to 22.17 need the flag, so the command starts itself again with it there).
import { spawn } from 'node:child_process';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// V8's compile cache (in the OS temp folder) roughly halves start-up for every later run.
module.enableCompileCache?.();

const signalNumbers = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGKILL: 9 };
const main = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
if (process.features.typescript) {
  await import(main);
} else {
  const child = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', main, ...process.argv.slice(2)], { stdio: 'inherit' });
  // The child owns the work: Ctrl-C reaches it from the terminal, other signals are passed on,
  // and this process waits to report its exit.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (signal !== 'SIGINT') child.kill(signal);
    });
  }
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 128 + (signalNumbers[signal] ?? 1) : 1);
  });
}
