import { spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connectAgent, type AgentClient } from '../../../cli/client/agent-client.ts';
import { LatchkeyError } from '../../../core/common/errors.ts';

// Under the system temp folder, not the test run's: a unix socket path must stay under 104 bytes.
const dir = mkdtempSync(join(tmpdir(), 'latchkey-transport-'));
const token = 'transport-test-token-0123456789abcdef';
const health = { ok: true, version: '9.9.9', pid: 4242 };
let files = 0;

/** A request as the fake agent read it off the wire. */
interface ReceivedRequest {
  /** The request line and header lines, in order. */
  head: string[];
  body: string;
  /** Every byte of the request, head and body. */
  bytes: number;
}

/** One connection the fake agent accepted. */
interface Connection {
  socket: Socket;
  /** Settles when the whole request (head, and the body its Content-Length declares) has arrived. */
  request: Promise<ReceivedRequest>;
  /** Settles when the connection has closed, with every byte the agent received on it. */
  closed: Promise<{ received: number }>;
  /** Settles when the test's answer to the request has run. */
  answered: Promise<void>;
  /** Whether the client's side has ended (a FIN arrived) so far. */
  ended: boolean;
}

/** A server on a unix socket or 127.0.0.1 that reads requests and answers them as a test says. */
interface FakeAgent {
  connections: Connection[];
  /** The `index`th connection (from 0), once the agent has accepted it. */
  connection(index: number): Promise<Connection>;
  /** The socket path, or '' for TCP. */
  socket: string;
  /** The TCP port, or 0 for a unix socket. */
  port: number;
  close(): Promise<void>;
}

type Answer = (connection: Connection, request: ReceivedRequest) => void | Promise<void>;

const servers: FakeAgent[] = [];
const clients: AgentClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function readRequest(socket: Socket): Promise<ReceivedRequest> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = received.toString('latin1', 0, end).split('\r\n');
      const length = Number(/^content-length: *(\d+)$/im.exec(head.join('\n'))?.[1] ?? 0);
      if (received.length < end + 4 + length) return;
      socket.off('data', onData);
      resolve({ head, body: received.toString('utf8', end + 4, end + 4 + length), bytes: end + 4 + length });
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('the connection closed before a whole request')));
  });
}

async function startFakeAgent(transport: 'unix' | 'tcp', answer: Answer): Promise<FakeAgent> {
  const connections: Connection[] = [];
  const accepted = new EventEmitter();
  const server: Server = createServer((socket) => {
    // The client resets a connection it gives up on; that is the event under test, not a failure.
    socket.on('error', () => {});
    const connection: Connection = {
      socket,
      request: readRequest(socket),
      // Not events.once: a reset is an 'error' before the 'close', and still the end waited for.
      closed: new Promise((resolve) => socket.once('close', () => resolve({ received: socket.bytesRead }))),
      answered: Promise.resolve(),
      ended: false,
    };
    connection.request.catch(() => {});
    socket.once('end', () => {
      connection.ended = true;
    });
    connections.push(connection);
    accepted.emit('connection');
    connection.answered = connection.request.then((request) => answer(connection, request), () => {});
  });
  const socketPath = transport === 'unix' ? join(dir, `agent-${++files}.sock`) : '';
  if (transport === 'unix') server.listen(socketPath);
  else server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const fake: FakeAgent = {
    connections,
    connection: async (index) => {
      while (connections.length <= index) await once(accepted, 'connection');
      return connections[index]!;
    },
    socket: socketPath,
    port: transport === 'tcp' ? (server.address() as AddressInfo).port : 0,
    close: async () => {
      for (const connection of connections) connection.socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
  servers.push(fake);
  return fake;
}

/** A TCP port on 127.0.0.1 where nothing listens (it did a moment ago). */
async function unusedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** A client whose discovery file names `where`: a socket and a port (either may lead nowhere). */
async function clientFor(where: { socket: string; port: number }): Promise<AgentClient> {
  const path = join(dir, `agent-${++files}.json`);
  writeFileSync(path, JSON.stringify({ version: '9.9.9', pid: 4242, socket: where.socket, port: where.port, token }));
  const client = await connectAgent({ env: { LATCHKEY_AGENT: path }, client: 'transport test' });
  clients.push(client);
  return client;
}

/** A client that reaches `fake` over its own transport only (its other address leads nowhere). */
async function clientOf(fake: FakeAgent): Promise<AgentClient> {
  return clientFor(fake.socket === '' ? { socket: '', port: fake.port } : { socket: fake.socket, port: await unusedPort() });
}

/** A whole reply of the agent's shape: a JSON body and its Content-Length. */
function jsonReply(status: number, body: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  return Buffer.concat([replyHead(status, [`Content-Length: ${payload.length}`]), payload]);
}

function replyHead(status: number, fields: string[]): Buffer {
  const lines = [`HTTP/1.1 ${status} Whatever`, 'Cache-Control: no-store', 'Content-Type: application/json; charset=utf-8', ...fields, 'Connection: close'];
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
}

/** One turn of the event loop: the peer's reads of what was just written run before the next piece. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Writes `bytes` in pieces of `size`, each in a turn of the event loop of its own. */
async function writeInPieces(socket: Socket, bytes: Buffer, size: number): Promise<void> {
  for (let start = 0; start < bytes.length && !socket.destroyed; start += size) {
    await new Promise((resolve) => socket.write(bytes.subarray(start, start + size), resolve));
    await nextTurn();
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => new Error('expected a rejection'), (error: unknown) => error);
}

describe.each(['unix', 'tcp'] as const)('sendAgentRequest over %s, through connectAgent', (transport) => {
  it('reads a reply that arrives one byte at a time', async () => {
    const fake = await startFakeAgent(transport, async ({ socket }) => {
      await writeInPieces(socket, jsonReply(200, health), 1);
      socket.end();
    });
    const client = await clientOf(fake);
    expect(await client.call('health', {})).toEqual(health);
  });

  it('reads a body that arrives in pieces, split inside UTF-8 characters', async () => {
    const sites = [{ id: 'stüdio', name: 'Stüdio 🔑 ünïcødé' }, { id: 'ops', name: '運用 — Ops' }];
    const fake = await startFakeAgent(transport, async ({ socket }) => {
      const reply = jsonReply(200, sites);
      const bodyStart = reply.indexOf('\r\n\r\n') + 4;
      socket.write(reply.subarray(0, bodyStart));
      await nextTurn();
      await writeInPieces(socket, reply.subarray(bodyStart), 3);
      socket.end();
    });
    const client = await clientOf(fake);
    expect(await client.call('listSites', {})).toEqual(sites);
  });

  it("turns the agent's error reply into its LatchkeyError", async () => {
    const fake = await startFakeAgent(transport, ({ socket }) => {
      socket.end(jsonReply(404, { error: { code: 'site_not_found', message: 'No site matches "nosuch".', hint: 'Try `latchkey sites`.' } }));
    });
    const client = await clientOf(fake);
    const error = await rejection(client.call('getSession', { id: 'nosuch' }));
    expect(error).toBeInstanceOf(LatchkeyError);
    expect(error).toMatchObject({ code: 'site_not_found', message: 'No site matches "nosuch".', hint: 'Try `latchkey sites`.' });
  });

  it('sends exactly the head the agent checks, on a connection of its own, and nothing more', async () => {
    const fake = await startFakeAgent(transport, ({ socket }) => {
      socket.end(jsonReply(200, health));
    });
    const discovery = fake.socket === '' ? { socket: '', port: fake.port } : { socket: fake.socket, port: 45678 };
    const client = await clientFor(discovery);
    expect(await client.call('health', {})).toEqual(health);
    expect(await client.call('status', {})).toEqual(health);
    expect(fake.connections).toHaveLength(2);
    for (const [index, target] of ['/v1/health', '/v1/status'].entries()) {
      const connection = fake.connections[index]!;
      const request = await connection.request;
      expect(request.head).toEqual([
        `GET ${target} HTTP/1.1`,
        `Host: 127.0.0.1:${discovery.port}`,
        `Authorization: Bearer ${token}`,
        'X-Latchkey-Client: transport test',
        'Accept: application/json',
        'Connection: close',
      ]);
      expect(request.body).toBe('');
      expect(await connection.closed).toEqual({ received: request.bytes });
    }
  });

  it('sends a POST body as JSON with its length in bytes', async () => {
    const fake = await startFakeAgent(transport, ({ socket }) => {
      socket.end(jsonReply(200, { id: 'studio' }));
    });
    const client = await clientOf(fake);
    expect(await client.call('addSite', { url: 'https://studio.example', name: 'Stüdio 🔑', default: true })).toEqual({ id: 'studio' });
    const connection = fake.connections[0]!;
    const request = await connection.request;
    const body = '{"url":"https://studio.example","name":"Stüdio 🔑","default":true}';
    expect(request.head.slice(0, 1)).toEqual(['POST /v1/sites HTTP/1.1']);
    expect(request.head.slice(6)).toEqual(['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`]);
    expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);
    expect(request.body).toBe(body);
    expect(await connection.closed).toEqual({ received: request.bytes });
  });

  it('never half-closes its side before the reply: the agent takes that as the caller going away', async () => {
    const seen: boolean[] = [];
    const fake = await startFakeAgent(transport, async (connection) => {
      // A FIN sent with the request would be read in these turns, as the control below shows.
      for (let turn = 0; turn < 5; turn++) await nextTurn();
      seen.push(connection.ended);
      connection.socket.end(jsonReply(200, health));
    });
    const client = await clientOf(fake);
    expect(await client.call('health', {})).toEqual(health);
    expect(await client.call('login', { id: 'studio' })).toEqual(health);
    expect(seen).toEqual([false, false]);
    // The control: a client that does end its side with the request is seen doing so.
    const raw = fake.socket === '' ? createConnection(fake.port, '127.0.0.1') : createConnection(fake.socket);
    raw.on('data', () => {});
    raw.end('GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await (await fake.connection(2)).answered;
    expect(seen).toEqual([false, false, true]);
  });

  it('refuses a reply without a Content-Length as internal, without waiting for the connection to end', async () => {
    const fake = await startFakeAgent(transport, ({ socket }) => {
      socket.write(Buffer.concat([replyHead(200, []), Buffer.from('{"ok":true,')]));
    });
    const client = await clientOf(fake);
    const error = await rejection(client.call('health', {}));
    expect(error).toMatchObject({ code: 'internal' });
    expect((error as Error).message).toContain('Content-Length');
    await fake.connections[0]!.closed;
  });

  it('refuses a chunked reply as internal', async () => {
    const fake = await startFakeAgent(transport, ({ socket }) => {
      socket.end(Buffer.concat([replyHead(200, ['Transfer-Encoding: chunked']), Buffer.from('b\r\n{"ok":true}\r\n0\r\n\r\n')]));
    });
    const client = await clientOf(fake);
    expect(await rejection(client.call('health', {}))).toMatchObject({ code: 'internal' });
  });

  it('refuses a body that is not JSON as internal', async () => {
    const fake = await startFakeAgent(transport, ({ socket }) => {
      socket.end(Buffer.concat([replyHead(502, ['Content-Length: 21']), Buffer.from('<h1>Bad Gateway</h1>\n')]));
    });
    const client = await clientOf(fake);
    const error = await rejection(client.call('health', {}));
    expect(error).toMatchObject({ code: 'internal' });
    expect((error as Error).message).toContain('not JSON');
  });

  it('refuses an answer that is not HTTP as internal', async () => {
    const fake = await startFakeAgent(transport, ({ socket }) => {
      socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n');
    });
    const client = await clientOf(fake);
    expect(await rejection(client.call('health', {}))).toMatchObject({ code: 'internal' });
  });

  it('refuses a head that never ends once it passes 16 KiB', async () => {
    const fake = await startFakeAgent(transport, async ({ socket }) => {
      socket.write('HTTP/1.1 200 OK\r\n');
      await writeInPieces(socket, Buffer.from(`X-Filler: ${'a'.repeat(64 * 1024)}`), 4096);
    });
    const client = await clientOf(fake);
    expect(await rejection(client.call('health', {}))).toMatchObject({ code: 'internal' });
    expect((await fake.connections[0]!.closed).received).toBe((await fake.connections[0]!.request).bytes);
  });

  it('refuses a reply that declares more than 16 MiB as internal at its head, without reading the body', async () => {
    let sent = 0;
    const fake = await startFakeAgent(transport, ({ socket }) => {
      const piece = Buffer.alloc(64 * 1024, 0x20);
      socket.write(replyHead(200, [`Content-Length: ${1024 * 1024 * 1024}`]));
      // Writes as fast as the client reads, until it goes away.
      const pump = (): void => {
        while (!socket.destroyed && sent < 1024 * 1024 * 1024) {
          sent += piece.length;
          if (!socket.write(piece)) return void socket.once('drain', pump);
        }
      };
      pump();
    });
    const client = await clientOf(fake);
    const error = await rejection(client.call('listSites', {}));
    expect(error).toMatchObject({ code: 'internal' });
    expect((error as Error).message).toContain('too large');
    await fake.connections[0]!.closed;
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('reads a body of exactly 16 MiB, and refuses one byte more', async () => {
    const limit = 16 * 1024 * 1024;
    const text = 'a'.repeat(limit - 2);
    const fake = await startFakeAgent(transport, ({ socket }, request) => {
      const extra = request.head[0]!.startsWith('GET /v1/status ') ? ' ' : '';
      socket.end(Buffer.concat([replyHead(200, [`Content-Length: ${limit + extra.length}`]), Buffer.from(`"${text}"${extra}`)]));
    });
    const client = await clientOf(fake);
    expect((await client.call('health', {})) as unknown).toBe(text);
    const error = await rejection(client.call('status', {}));
    expect(error).toMatchObject({ code: 'internal' });
    expect((error as Error).message).toContain('too large');
  });

  it('reports an agent that closes the connection partway through the body as agent_not_running', async () => {
    const fake = await startFakeAgent(transport, ({ socket }) => {
      socket.end(Buffer.concat([replyHead(200, ['Content-Length: 40']), Buffer.from('{"ok":true,"version":')]));
    });
    const client = await clientOf(fake);
    const error = await rejection(client.call('health', {}));
    expect(error).toMatchObject({ code: 'agent_not_running', hint: 'Start it with `latchkey agent` or the desktop app.' });
    expect((error as Error).message).toContain('closed the connection');
  });

  it('reports an agent that closes the connection without answering as agent_not_running', async () => {
    const fake = await startFakeAgent(transport, ({ socket }) => {
      socket.end();
    });
    const client = await clientOf(fake);
    const error = await rejection(client.call('getSession', { id: 'studio', wait: 30 }));
    expect(error).toMatchObject({ code: 'agent_not_running' });
    expect((error as Error).message).toContain('closed the connection');
  });

  it('ends a call that is under way when the client closes, and the agent sees its connection end', async () => {
    const fake = await startFakeAgent(transport, ({ socket }, request) => {
      // The session never comes; health still answers, to show that the client works after close().
      if (request.head[0]!.startsWith('GET /v1/health ')) socket.end(jsonReply(200, health));
    });
    const client = await clientOf(fake);
    const call = rejection(client.call('getSession', { id: 'studio', wait: 60 }));
    await (await fake.connection(0)).request;
    client.close();
    expect(await call).toMatchObject({ name: 'AbortError', message: 'The Latchkey client was closed.' });
    expect((await fake.connections[0]!.closed).received).toBe((await fake.connections[0]!.request).bytes);
    expect(await client.call('health', {})).toEqual(health);
  });

  it("ends a call when its signal aborts, with the signal's reason, and the agent sees its connection end", async () => {
    const fake = await startFakeAgent(transport, ({ socket }, request) => {
      if (request.head[0]!.startsWith('GET /v1/health ')) socket.end(jsonReply(200, health));
    });
    const client = await clientOf(fake);
    const controller = new AbortController();
    const reason = new Error('the script gave up');
    const call = rejection(client.call('getSession', { id: 'studio', wait: 60 }, { signal: controller.signal }));
    await (await fake.connection(0)).request;
    controller.abort(reason);
    expect(await call).toBe(reason);
    await fake.connections[0]!.closed;
    // An already aborted signal sends nothing: the next connection the agent sees is the health call's.
    expect(await rejection(client.call('status', {}, { signal: controller.signal }))).toBe(reason);
    expect(await client.call('health', {})).toEqual(health);
    expect(fake.connections).toHaveLength(2);
    expect((await fake.connections[1]!.request).head[0]).toBe('GET /v1/health HTTP/1.1');
  });
});

describe('sendAgentRequest over tcp', () => {
  it('reports a connection the agent resets as agent_not_running', async () => {
    const fake = await startFakeAgent('tcp', ({ socket }) => {
      socket.write(replyHead(200, ['Content-Length: 40']));
      socket.resetAndDestroy();
    });
    const client = await clientOf(fake);
    const error = await rejection(client.call('health', {}));
    expect(error).toMatchObject({ code: 'agent_not_running' });
    expect((error as Error).message).toContain('closed the connection');
    expect((error as Error).cause).toMatchObject({ code: 'ECONNRESET' });
  });
});

/** A unix socket file left behind by an agent that was killed: nothing listens there any more. */
async function staleSocket(): Promise<string> {
  const path = join(dir, `agent-${++files}.sock`);
  const script = "require('node:net').createServer().listen(process.argv[1], () => console.log('listening'))";
  const child = spawn(process.execPath, ['-e', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout, 'data');
  child.kill('SIGKILL');
  await once(child, 'exit');
  expect(statSync(path).isSocket()).toBe(true);
  return path;
}

describe('sendAgentRequest, choosing the transport', () => {
  it('falls back to TCP when nothing listens at the socket path', async () => {
    const fake = await startFakeAgent('tcp', ({ socket }) => {
      socket.end(jsonReply(200, health));
    });
    writeFileSync(join(dir, 'not-a-socket'), '');
    const paths = [join(dir, 'no-such.sock'), join(dir, 'not-a-socket'), join(dir, 'not-a-socket', 'agent.sock'), await staleSocket()];
    for (const [index, path] of paths.entries()) {
      const client = await clientFor({ socket: path, port: fake.port });
      expect({ path, result: await client.call('health', {}) }).toEqual({ path, result: health });
      expect((await fake.connection(index).then((connection) => connection.request)).head[1]).toBe(`Host: 127.0.0.1:${fake.port}`);
    }
  });

  it('uses the socket, not TCP, when the socket answers', async () => {
    const unix = await startFakeAgent('unix', ({ socket }) => {
      socket.end(jsonReply(200, health));
    });
    const tcp = await startFakeAgent('tcp', ({ socket }) => {
      socket.end(jsonReply(200, { ok: true, version: 'tcp', pid: 1 }));
    });
    const client = await clientFor({ socket: unix.socket, port: tcp.port });
    expect(await client.call('health', {})).toEqual(health);
    expect(unix.connections).toHaveLength(1);
  });

  it('does not send the request again over TCP once the socket took it', async () => {
    const answers: Answer[] = [
      ({ socket }) => {
        socket.end();
      },
      ({ socket }) => {
        socket.end(Buffer.concat([replyHead(200, ['Content-Length: 40']), Buffer.from('{"ok":')]));
      },
      ({ socket }) => {
        socket.end(Buffer.concat([replyHead(200, []), Buffer.from('{"ok":true}')]));
      },
    ];
    const tcp = await startFakeAgent('tcp', ({ socket }) => {
      socket.end(jsonReply(200, health));
    });
    for (const answer of answers) {
      const unix = await startFakeAgent('unix', answer);
      const client = await clientFor({ socket: unix.socket, port: tcp.port });
      expect(await rejection(client.call('login', { id: 'studio' }))).toBeInstanceOf(LatchkeyError);
      expect(unix.connections).toHaveLength(1);
    }
    // Had any of them gone on to TCP, that call would have succeeded, and been accepted before this one.
    const direct = await clientFor({ socket: '', port: tcp.port });
    expect(await direct.call('health', {})).toEqual(health);
    expect(tcp.connections).toHaveLength(1);
  });

  it('reports nothing listening on either as agent_not_running, naming the discovery file', async () => {
    const wheres = [
      { socket: join(dir, 'no-such.sock'), port: await unusedPort() },
      { socket: await staleSocket(), port: await unusedPort() },
      { socket: '', port: await unusedPort() },
    ];
    for (const where of wheres) {
      const client = await clientFor(where);
      const error = await rejection(client.call('health', {}));
      expect({ where, error }).toMatchObject({ where, error: { code: 'agent_not_running', hint: 'Start it with `latchkey agent` or the desktop app.' } });
      expect((error as Error).message).toContain('does not answer');
      expect((error as Error).message).toContain(client.discoveryPath);
      expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    }
  });

  it('refuses a discovery file whose token could break the request head, before connecting', async () => {
    const fake = await startFakeAgent('tcp', ({ socket }) => {
      socket.end(jsonReply(200, health));
    });
    for (const bad of [`${token}\r\nX-Injected: 1`, `${token} `, '', 'tö']) {
      const path = join(dir, `agent-${++files}.json`);
      writeFileSync(path, JSON.stringify({ version: '9.9.9', pid: 4242, socket: '', port: fake.port, token: bad }));
      const error = await rejection(connectAgent({ env: { LATCHKEY_AGENT: path } }));
      expect({ bad, error }).toMatchObject({ bad, error: { code: 'agent_not_running' } });
      expect((error as Error).message).toContain('is not a Latchkey agent discovery file');
    }
    expect(fake.connections).toHaveLength(0);
  });
});
