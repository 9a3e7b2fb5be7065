// A bare Node HTTP server answering every request with the same bytes as the agent's session
// answer: the baseline the agent's round trip is measured against. Run as a child process.
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';

const [socketPath, bodyBase64] = process.argv.slice(2);
if (!socketPath || !bodyBase64) throw new TypeError('usage: bare-server.ts SOCKET BODY_BASE64');
const body = Buffer.from(bodyBase64, 'base64');
const answer = (_: unknown, res: import('node:http').ServerResponse): void => {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(body);
};
rmSync(socketPath, { force: true });
const unix = createServer(answer).listen(socketPath);
const tcp = createServer(answer).listen(0, '127.0.0.1', () => {
  const address = tcp.address();
  process.stdout.write(JSON.stringify({ socket: socketPath, port: typeof address === 'object' && address ? address.port : 0 }) + '\n');
});
process.on('SIGTERM', () => {
  unix.close();
  tcp.close();
  process.exit(0);
});
