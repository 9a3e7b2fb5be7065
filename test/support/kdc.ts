import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gssapiPython } from '../lab/negotiate-verifier.ts';
import { freePort } from './free-port.ts';

/**
 * A throw-away Kerberos realm for one test file: Debian's MIT KDC (krb5-kdc, and kadmin.local from
 * krb5-admin-server) with its database, configuration, keytab and the person's credential cache
 * all in a temp folder, never the machine's /etc/krb5.conf or /var/lib/krb5kdc.
 */
export interface Kdc {
  realm: string;
  /** The person's principal (`ada@LAB.TEST`), signed in with `kinit`. */
  userPrincipal: string;
  /** The service's principal (`HTTP/idp.localhost@LAB.TEST`), whose key is in `keytab`. */
  servicePrincipal: string;
  /** What the person's browser needs: KRB5_CONFIG (the realm and its KDC) and KRB5CCNAME (the FILE: cache `kinit` filled). */
  browserEnv: Readonly<Record<string, string>>;
  /** What the service needs to accept tickets: KRB5_CONFIG, KRB5_KTNAME (the keytab) and KRB5RCACHEDIR (its replay cache). */
  serviceEnv: Readonly<Record<string, string>>;
  keytab: string;
  /** Stops the KDC and removes the folder (tickets, keytab and database with it). */
  stop(): Promise<void>;
}

// krb5kdc, kdb5_util and kadmin.local live in /usr/sbin, which a user's PATH often leaves out.
const sbinDirs = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

function findTool(name: string): string | null {
  for (const dir of [...(process.env['PATH'] ?? '').split(':').filter((entry) => entry !== ''), ...sbinDirs]) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // Not here: the next folder.
    }
  }
  return null;
}

function tool(name: string): string {
  const path = findTool(name);
  if (path === null) throw new Error(`${name} is not installed (kerberosToolsMissing() tells before a test starts)`);
  return path;
}

/** What a Kerberos test needs that this machine lacks (empty: all there). */
export function kerberosToolsMissing(): string[] {
  const missing: string[] = ['krb5kdc', 'kdb5_util', 'kadmin.local', 'kinit'].filter((name) => findTool(name) === null);
  if (gssapiPython() === null) missing.push('python3 with gssapi');
  return missing;
}

/** Runs a Kerberos tool to its end; rejects with what it printed when it fails. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const text = Buffer.concat(output).toString('utf8');
      if (code === 0) resolve(text);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${text}`));
    });
    child.stdin.end(input);
  });
}

/** Resolves once the KDC says it serves; rejects with its output when it ends first. */
function serving(child: ChildProcess, output: Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const text = (): string => Buffer.concat(output).toString('utf8');
    child.stderr?.on('data', () => {
      if (text().includes('commencing operation')) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`krb5kdc exited with ${code} before serving: ${text()}`)));
  });
}

/**
 * Creates the realm (`kdb5_util create -s`), the person's principal with a password and the
 * service's with a random key exported to a keytab, starts `krb5kdc -n` on a free loopback port
 * (TCP only) and signs the person in with `kinit` and that password, into a FILE: cache.
 */
export async function startKdc(options: { realm?: string; user: string; service: string }): Promise<Kdc> {
  const realm = options.realm ?? 'LAB.TEST';
  const dir = mkdtempSync(join(tmpdir(), 'lk-kdc-'));
  let child: ChildProcess | null = null;
  const stop = async (): Promise<void> => {
    const running = child;
    child = null;
    if (running !== null && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const krb5Config = join(dir, 'krb5.conf');
    const kdcProfile = join(dir, 'kdc.conf');
    const keytab = join(dir, 'service.keytab');
    const ccache = `FILE:${join(dir, 'ccache')}`;
    writeFileSync(
      krb5Config,
      [
        '[libdefaults]',
        `  default_realm = ${realm}`,
        // No DNS at all: the realm's KDC is named below, and host names are taken as given.
        '  dns_lookup_kdc = false',
        '  dns_lookup_realm = false',
        '  dns_canonicalize_hostname = false',
        '  rdns = false',
        // TCP only, so the KDC needs one port and a busy UDP port can never stop it.
        '  udp_preference_limit = 1',
        '[realms]',
        `  ${realm} = {`,
        `    kdc = 127.0.0.1:${port}`,
        '  }',
        '[domain_realm]',
        `  .localhost = ${realm}`,
        `  localhost = ${realm}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      kdcProfile,
      [
        '[kdcdefaults]',
        '  kdc_listen = ""',
        `  kdc_tcp_listen = 127.0.0.1:${port}`,
        '[realms]',
        `  ${realm} = {`,
        `    database_name = ${join(dir, 'principal')}`,
        `    key_stash_file = ${join(dir, 'stash')}`,
        `    acl_file = ${join(dir, 'kadm5.acl')}`,
        '  }',
        // SPAKE needs groups configured; without this the KDC logs an error at every start.
        '[plugins]',
        '  kdcpreauth = {',
        '    disable = spake',
        '  }',
        '[logging]',
        '  kdc = STDERR',
        '  default = STDERR',
        '',
      ].join('\n'),
    );
    const env: NodeJS.ProcessEnv = { ...process.env, KRB5_CONFIG: krb5Config, KRB5_KDC_PROFILE: kdcProfile, KRB5CCNAME: ccache };
    delete env['KRB5_KTNAME'];
    delete env['KRB5_CLIENT_KTNAME'];

    const userPrincipal = `${options.user}@${realm}`;
    const servicePrincipal = `${options.service}@${realm}`;
    // kadmin.local splits its query on spaces: hex passwords need no quoting.
    const password = randomBytes(12).toString('hex');
    await run(tool('kdb5_util'), ['create', '-s', '-r', realm, '-P', randomBytes(12).toString('hex')], env);
    for (const query of [`addprinc -pw ${password} ${userPrincipal}`, `addprinc -randkey ${servicePrincipal}`, `ktadd -k ${keytab} ${servicePrincipal}`]) {
      await run(tool('kadmin.local'), ['-r', realm, '-q', query], env);
    }
    // kadmin.local exits 0 even when its query fails: the keytab is the proof the principals exist.
    if (!existsSync(keytab)) throw new Error(`kadmin.local made no keytab for ${servicePrincipal}`);

    const output: Buffer[] = [];
    const started = spawn(tool('krb5kdc'), ['-n'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    started.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    await serving(started, output);
    // kinit reads the password from stdin when it is not a terminal, as a person types it.
    await run(tool('kinit'), [userPrincipal], env, `${password}\n`);

    return {
      realm,
      userPrincipal,
      servicePrincipal,
      browserEnv: { KRB5_CONFIG: krb5Config, KRB5CCNAME: ccache },
      serviceEnv: { KRB5_CONFIG: krb5Config, KRB5_KTNAME: `FILE:${keytab}`, KRB5RCACHEDIR: dir },
      keytab,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
