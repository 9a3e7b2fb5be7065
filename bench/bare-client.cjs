// The least a client of the agent can do for `latchkey token`: read the discovery file, load
// node:net, send the same request on a fresh connection and print the credential. `npm run bench`
// times it beside `latchkey token`, so that the ratio shows how much of a command's start is
// Node's own (node:net and its streams, a connection) and how much is Latchkey's.
// Run as: bare-client.cjs SITE DISCOVERY-FILE.
'use strict';
const { readFileSync, writeSync } = require('node:fs');
const { createConnection } = require('node:net');

const discovery = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const socket = createConnection(discovery.socket);
const chunks = [];
socket.on('data', (chunk) => chunks.push(chunk));
socket.on('end', () => {
  const reply = Buffer.concat(chunks).toString('utf8');
  const grant = JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4));
  writeSync(1, `${grant.credential.value}\n`);
});
socket.write(
  `GET /v1/sites/${encodeURIComponent(process.argv[2])}/session?wait=0&prompt=true HTTP/1.1\r\n` +
    `Host: 127.0.0.1:${discovery.port}\r\nAuthorization: Bearer ${discovery.token}\r\nConnection: close\r\n\r\n`,
);
