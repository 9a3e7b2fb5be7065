import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './until.ts';
import { freePort } from './free-port.ts';

/** A real forward proxy for a test: Debian's squid, asking for Basic credentials (basic_ncsa_auth). */
export interface Squid {
  port: number;
  /** `http://user:password@127.0.0.1:<port>`. */
  urlWithCredentials: string;
  /** `http://127.0.0.1:<port>`, which the proxy answers with 407. */
  url: string;
  user: string;
  password: string;
  /** The access log's lines so far: one per request, with the user and the URL (or CONNECT host:port). */
  accessLog(): string[];
  /** Stops the proxy: connections to its port are refused. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

const helper = '/usr/lib/squid/basic_ncsa_auth';

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts squid on a free loopback port, with its own configuration, password file, logs and a
 * hosts file that resolves `hosts` (the lab's names) to 127.0.0.1: nothing is cached, every
 * request needs the credentials (unless `auth` is false), and every request is in the access log.
 */
export async function startSquid(hosts: readonly string[], options: { auth?: boolean } = {}): Promise<Squid> {
  const auth = options.auth ?? true;
  const dir = mkdtempSync(join(tmpdir(), 'lk-squid-'));
  const user = 'proxyuser';
  const password = 'proxy pass:word';
  const hash = execFileSync('openssl', ['passwd', '-apr1', password], { encoding: 'utf8' }).trim();
  writeFileSync(join(dir, 'passwd'), `${user}:${hash}\n`);
  writeFileSync(join(dir, 'hosts'), `127.0.0.1 ${hosts.join(' ')}\n`);
  writeFileSync(join(dir, 'access.log'), '');
  const port = await freePort();
  writeFileSync(
    join(dir, 'squid.conf'),
    [
      `http_port 127.0.0.1:${port}`,
      `pid_filename ${join(dir, 'squid.pid')}`,
      `access_log stdio:${join(dir, 'access.log')}`,
      `cache_log ${join(dir, 'cache.log')}`,
      'cache deny all',
      'cache_mem 8 MB',
      `coredump_dir ${dir}`,
      `hosts_file ${join(dir, 'hosts')}`,
      // A lab name squid cannot resolve must fail, not go to a DNS server this machine may not have.
      'dns_nameservers 127.0.0.1',
      ...(auth
        ? [`auth_param basic program ${helper} ${join(dir, 'passwd')}`, 'auth_param basic realm Latchkey lab proxy', 'acl authed proxy_auth REQUIRED', 'http_access allow authed', 'http_access deny all']
        : ['http_access allow all']),
      'shutdown_lifetime 0 seconds',
      // Log every request at once (no buffering), so a test reads it right after the request.
      'buffered_logs off',
      '',
    ].join('\n'),
  );
  // Squid run by root hands its work to the `proxy` user, which must read and write these.
  chmodSync(dir, 0o777);
  for (const name of ['passwd', 'hosts', 'access.log', 'squid.conf']) chmodSync(join(dir, name), 0o666);
  let child: ChildProcess | null = spawn('squid', ['-N', '-f', join(dir, 'squid.conf')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
  // Squid announces nothing we can wait on: it is ready when its port accepts (a few ms to a second).
  await until(() => accepting(port), (ready) => ready);
  const stop = async (): Promise<void> => {
    if (child === null) return;
    child.kill('SIGTERM');
    await exited;
    child = null;
  };
  const base = `127.0.0.1:${port}`;
  return {
    port,
    url: `http://${base}`,
    urlWithCredentials: `http://${user}:${encodeURIComponent(password)}@${base}`,
    user,
    password,
    accessLog: () => readFileSync(join(dir, 'access.log'), 'utf8').split('\n').filter((line) => line.trim() !== ''),
    stop,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
