// Builds the Node client library (`latchkey/client`) into dist/cli/ and dist/core/ with tsc
// (`npm run build`, and the test run's global setup): JavaScript with its type declarations. The
// folders are emptied first, so a module that no longer exists is not packed with the rest.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

const root = import.meta.dirname;

/** Empties dist/cli/ and dist/core/, then runs `tsc -p tsconfig.build.json`. */
export async function buildClientLibrary(): Promise<void> {
  await Promise.all(['cli', 'core'].map((folder) => rm(join(root, 'dist', folder), { recursive: true, force: true })));
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc -p tsconfig.build.json exited with ${code}`))));
  });
}

if (import.meta.main) await buildClientLibrary();
