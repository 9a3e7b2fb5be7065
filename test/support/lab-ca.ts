import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A certificate authority made for one test run, and a server certificate it issued. */
export interface LabCa {
  /** The CA's certificate (PEM file). */
  caFile: string;
  /** The server's key and certificate (PEM), for the given host names. */
  key: string;
  cert: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes a CA and a server certificate for `hosts` (in its subjectAltName) in `dir`, with openssl. */
export function makeLabCa(dir: string, hosts: readonly string[]): LabCa {
  mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Latchkey Lab CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${hosts[0] ?? 'localhost'}`], dir);
  writeFileSync(join(dir, 'server.ext'), [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    `subjectAltName=${hosts.map((host) => `DNS:${host}`).join(',')}`,
    '',
  ].join('\n'));
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext'], dir);
  return { caFile: join(dir, 'ca.pem'), key: readFileSync(join(dir, 'server.key'), 'utf8'), cert: readFileSync(join(dir, 'server.pem'), 'utf8') };
}

/**
 * A home whose NSS database (the user's store Chromium reads on Linux, `~/.pki/nssdb`) trusts the
 * CA for web sites; made with certutil from libnss3-tools. Returns the home folder.
 */
export function homeTrusting(home: string, caFile: string): string {
  const db = join(home, '.pki', 'nssdb');
  mkdirSync(db, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password'], { stdio: 'ignore' });
  execFileSync('certutil', ['-A', '-d', `sql:${db}`, '-n', 'Latchkey Lab CA', '-t', 'C,,', '-i', caFile], { stdio: 'ignore' });
  return home;
}
