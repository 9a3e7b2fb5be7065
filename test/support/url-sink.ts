import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The person's browser as tests supply it through `BROWSER`: a program that hands each URL it is
 * started with to the test over a unix socket. The test then drives a Chromium of its own there,
 * as the person would in their browser.
 */
export interface UrlSink {
  /** The value for `BROWSER`: this script run by Node, with `%s` for the URL. */
  browserVariable: string;
  /** Resolves with the next URL a program started this way was given (those already given first). */
  next(): Promise<string>;
  /** Every URL given so far. */
  received: string[];
  close(): Promise<void>;
}

const script = fileURLToPath(import.meta.url);

export async function startUrlSink(dir: string): Promise<UrlSink> {
  const socketPath = join(dir, 'browser.sock');
  const received: string[] = [];
  const waiting: Array<(url: string) => void> = [];
  let taken = 0;
  const server: Server = createServer((socket) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => {
      received.push(text);
      const waiter = waiting.shift();
      if (waiter !== undefined) {
        taken += 1;
        waiter(text);
      }
    });
  });
  server.listen(socketPath);
  await once(server, 'listening');
  return {
    // Quoted: the paths may hold spaces. The socket path goes as an argument, the URL after it.
    browserVariable: `'${process.execPath}' '${script}' '${socketPath}' %s`,
    received,
    next: () => {
      if (taken < received.length) return Promise.resolve(received[taken++] as string);
      return new Promise((resolve) => waiting.push(resolve));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// Run as the browser program: `node url-sink.ts <socket> <url>`.
if (process.argv[1] === script) {
  const { createConnection } = await import('node:net');
  const [socketPath, url] = process.argv.slice(2);
  if (socketPath === undefined || url === undefined) process.exit(2);
  const socket = createConnection(socketPath, () => socket.end(url));
}
