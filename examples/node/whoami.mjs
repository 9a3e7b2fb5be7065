// Calls a site's API as the logged-in person, with the session the Latchkey agent hands out.
//
//   npm run build                      (once: builds the `latchkey/client` package export)
//   node examples/node/whoami.mjs [SITE] [PATH]
//
// Try it against the demo: `latchkey demo` in one terminal, then
// `node examples/node/whoami.mjs demo /api/whoami` in another (with the same LATCHKEY_HOME).
import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import { getSession, hasCode, invalidateSession } from 'latchkey/client';

const [site, path = '/api/whoami'] = process.argv.slice(2);

// Node asks the system resolver, which often does not know `*.localhost` names (RFC 6761 says
// they are loopback, and browsers treat them so); the demo's site lives on one.
function lookup(hostname, options, callback) {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  } else {
    import('node:dns').then(({ lookup: system }) => system(hostname, options, callback));
  }
}

function call(session) {
  const url = new URL(path, session.siteUrl);
  const send = url.protocol === 'https:' ? requestTls : request;
  return new Promise((resolve, reject) => {
    const req = send(url, { headers: session.headers, lookup }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

try {
  // Waits (up to 5 minutes by default) for a login window if the session needs one.
  let session = await getSession(site, { client: 'whoami example' });
  let answer = await call(session);
  if (answer.status === 401) {
    // The site rejected the session: tell the agent, which renews it, and try once more.
    await invalidateSession(site, { client: 'whoami example' });
    session = await getSession(site, { client: 'whoami example', wait: 60 });
    answer = await call(session);
  }
  console.log(`${session.user ?? 'someone'} at ${session.siteUrl}: ${answer.status} ${answer.body}`);
  process.exitCode = answer.status >= 200 && answer.status < 300 ? 0 : 1;
} catch (error) {
  if (!hasCode(error)) throw error;
  // Codes, not wording: agent_not_running, login_required, login_timeout, site_not_found, …
  console.error(`${error.code}: ${error.message}${error.hint ? `\n${error.hint}` : ''}`);
  process.exitCode = error.code === 'agent_not_running' ? 3 : 1;
}
