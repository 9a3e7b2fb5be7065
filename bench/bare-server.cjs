// A bare Node HTTP server answering every request with the same bytes as the agent's session
// answer: the baseline the agent's round trip and its idle memory are measured against. Plain
// CommonJS, so that Node loads nothing for it but itself (a .ts file would load the type stripper).
// Run as a child process: bare-server.cjs SOCKET BODY_BASE64.
'use strict';
const { createServer } = require('node:http');
const { rmSync } = require('node:fs');

const [socketPath, bodyBase64] = process.argv.slice(2);
if (!socketPath || !bodyBase64) throw new TypeError('usage: bare-server.cjs SOCKET BODY_BASE64');
const body = Buffer.from(bodyBase64, 'base64');
const answer = (_request, response) => {
  response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  response.end(body);
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
