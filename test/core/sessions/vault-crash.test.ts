import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileVault } from '../../../core/sessions/file-vault.ts';
import type { VaultContents } from '../../../core/sessions/vault.ts';
import { crashSiteIds, crashVersion } from './fixtures/crash-version.ts';

const writerScript = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
const rounds = 30;
const tempName = /^sessions\.json\.\d+$/;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-vault-crash-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * How a round picks its moment: `delay` kills after the random delay, wherever the writer is;
 * `mid-write` waits the delay, then for the next temporary file to appear, and kills at once, so
 * kills inside the atomic writer's open-write-fsync-rename window are certain, not left to chance
 * (with random delays alone only about one kill in ten lands there).
 */
type KillMoment = 'delay' | 'mid-write';

/** Runs the writer and kills it with SIGKILL `delayMs` (plus, for `mid-write`, the wait) after it says it started. */
function runAndKill(path: string, folder: string, round: number, delayMs: number, moment: KillMoment): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerScript, path, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let killed = false;
    let exited = false;
    const kill = (): void => {
      if (!exited) killed = child.kill('SIGKILL');
    };
    // Polls on every turn of the event loop: a readdir of a tiny folder takes microseconds,
    // well inside the few milliseconds a temporary file exists.
    const killOnTempFile = (deadline: number): void => {
      if (exited) return;
      if (readdirSync(folder).some((name) => tempName.test(name)) || performance.now() > deadline) kill();
      else setImmediate(() => killOnTempFile(deadline));
    };
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').once('data', () => {
      setTimeout(() => (moment === 'delay' ? kill() : killOnTempFile(performance.now() + 2_000)), delayMs);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      exited = true;
      if (killed && signal === 'SIGKILL') resolve();
      else reject(new Error(`writer ended by itself (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}

/** The generation every session of `sessions` belongs to, after checking each is that generation's complete value. */
function generationOf(sessions: VaultContents): string | null {
  const ids = Object.keys(sessions);
  if (ids.length === 0) return null;
  expect(ids.sort()).toEqual([...crashSiteIds].sort());
  const generation = sessions[crashSiteIds[0] ?? '']?.user ?? '';
  for (const id of crashSiteIds) expect(sessions[id]).toEqual(crashVersion(id, generation));
  return generation;
}

function order(generation: string): [number, number] {
  const [round, step] = generation.split('.').map(Number);
  return [round ?? -1, step ?? -1];
}

describe('FileVault under SIGKILL', () => {
  it('never leaves an unreadable store when the writer is killed in the middle of writes', async () => {
    const folder = join(dir, 'home');
    const path = join(folder, 'sessions.json');
    await mkdir(folder, { mode: 0o700 });
    const started = performance.now();
    let last: [number, number] = [-1, -1];
    let roundsWithLeftovers = 0;
    let roundsThatAdvanced = 0;

    for (let round = 0; round < rounds; round++) {
      const delayMs = 5 + Math.floor(Math.random() * 76);
      const moment: KillMoment = round % 2 === 0 ? 'delay' : 'mid-write';
      await runAndKill(path, folder, round, delayMs, moment);
      if ((await readdir(folder)).some((name) => tempName.test(name))) roundsWithLeftovers++;

      const result = await new FileVault({ path }).load();

      expect(result.corrupt, `round ${round}, killed ${moment} after ${delayMs} ms`).toBeUndefined();
      const generation = generationOf(result.sessions);
      if (generation === null) {
        expect(last, 'a store once written never goes back to empty').toEqual([-1, -1]);
        continue;
      }
      const current = order(generation);
      // The old complete version (from an earlier round or step) or a newer complete one, never older.
      expect(current[0] > last[0] || (current[0] === last[0] && current[1] >= last[1])).toBe(true);
      expect(current[0]).toBeLessThanOrEqual(round);
      if (current[0] === round) roundsThatAdvanced++;
      last = current;
      expect(await readdir(folder)).toEqual(['sessions.json']);
    }

    const seconds = (performance.now() - started) / 1000;
    console.log(`vault-crash: ${rounds} kill rounds in ${seconds.toFixed(1)} s; ${roundsThatAdvanced} rounds completed a save, ${roundsWithLeftovers} left a temporary file`);
    // Without these the test could pass by killing the writer before it ever wrote anything.
    expect(roundsThatAdvanced).toBeGreaterThan(0);
    expect(roundsWithLeftovers).toBeGreaterThanOrEqual(rounds / 4);
    // Each round starts a Node process: on a loaded 2-core machine that alone can take a second.
  }, 180_000);
});
