import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { NegotiateVerifier } from './idp-interactions.ts';

const script = join(import.meta.dirname, 'negotiate-verifier.py');

/**
 * A Python 3 that imports `gssapi`, or null. Debian's python3-gssapi is on the path of Debian's
 * own /usr/bin/python3 only, which a `python3` earlier on PATH (pyenv, a venv) may hide.
 */
export function gssapiPython(): string | null {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    if (spawnSync(candidate, ['-c', 'import gssapi'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return null;
}

/** Where a keytab verifier finds its Kerberos. */
export interface KeytabVerifierOptions {
  /** A Python 3 that imports `gssapi` (gssapiPython()). */
  python: string;
  /** The service's environment: KRB5_CONFIG, KRB5_KTNAME (its keytab), KRB5RCACHEDIR (its replay cache). */
  env: Readonly<Record<string, string>>;
  /** The realm whose people are lab accounts: `ada@LAB.TEST` signs in as `ada`. */
  realm: string;
  /** Told why a token was refused, so a test that fails can say it. */
  onRefused?: (reason: string) => void;
}

/**
 * A verifier for the lab's Negotiate mode that accepts each token for real, as the HTTP service of
 * a keytab: negotiate-verifier.py, one run per request (a browser sends one token per login).
 */
export function keytabVerifier(options: KeytabVerifierOptions): NegotiateVerifier {
  return async (token) => {
    const { code, stdout, stderr } = await runWithInput(options.python, [script], token, { ...process.env, ...options.env });
    if (code !== 0) {
      options.onRefused?.(stderr.trim() || `the verifier exited with ${code}`);
      return null;
    }
    const principal = stdout.trim();
    const at = principal.lastIndexOf('@');
    // Only the realm's own people are lab accounts; a principal of another realm (a trust) is no one here.
    if (at < 1 || principal.slice(at + 1) !== options.realm) {
      options.onRefused?.(`a principal of another realm: ${principal}`);
      return null;
    }
    return principal.slice(0, at);
  };
}

function runWithInput(command: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
    child.stdin.end(input);
  });
}
